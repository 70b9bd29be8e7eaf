/*
 * The two 8259A programmable interrupt controllers (master and slave),
 * remapped so IRQ 0-15 arrive on vectors 32-47 (T_IRQ0 in trap.h).
 */
#ifndef PIC_H
#define PIC_H

void	pic_init(void);
void	pic_enable(int irq);
void	pic_eoi(int irq);
int	pic_is_spurious(int irq);
int	pic_irq_pending(int irq);	/* raised but not yet serviced */

#endif
