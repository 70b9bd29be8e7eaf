/*
 * Freestanding string and memory routines shared by the kernel and the
 * user C library (lib/ is compiled once for each side).
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

#ifdef HOST_TEST
/*
 * Host unit tests link this file next to glibc (and ASan's interceptors):
 * give our versions their own names so both can coexist in one binary.
 */
#define memset	brinch_memset
#define memcpy	brinch_memcpy
#define memmove	brinch_memmove
#define memcmp	brinch_memcmp
#define strlen	brinch_strlen
#define strnlen	brinch_strnlen
#define strcmp	brinch_strcmp
#define strncmp	brinch_strncmp
#define strcpy	brinch_strcpy
#define strncpy	brinch_strncpy
#define strlcpy	brinch_strlcpy
#define strchr	brinch_strchr
#define strrchr	brinch_strrchr
#define strcat	brinch_strcat
#endif

void	*memset(void *dst, int c, size_t n);
void	*memcpy(void *dst, const void *src, size_t n);
void	*memmove(void *dst, const void *src, size_t n);
int	 memcmp(const void *a, const void *b, size_t n);
size_t	 strlen(const char *s);
size_t	 strnlen(const char *s, size_t max);
int	 strcmp(const char *a, const char *b);
int	 strncmp(const char *a, const char *b, size_t n);
char	*strcpy(char *dst, const char *src);
char	*strncpy(char *dst, const char *src, size_t n);
size_t	 strlcpy(char *dst, const char *src, size_t size);	/* OpenBSD */
char	*strchr(const char *s, int c);
char	*strrchr(const char *s, int c);
char	*strcat(char *dst, const char *src);

#endif
