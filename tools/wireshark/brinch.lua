-- brinch.lua: a Wireshark/tshark dissector for brinch's kernel message
-- layer (kernel/dist/kmsg*.c, UDP port 4700) and the remote mailbox
-- protocol it carries (kernel/rmbox*.c).  Every field is described in
-- docs/protocol.md.  Also the process migration messages
-- (kernel/migrate/mig_wire.h), put back together from their fragments.
-- Use:
--   tshark -X lua_script:tools/wireshark/brinch.lua -r build/cluster/node0.pcap -Y brinch
--   wireshark -X lua_script:tools/wireshark/brinch.lua ...  (or copy it to
--   ~/.local/lib/wireshark/plugins/)
-- tests/integration/test_dist.py decodes a test run's pcap with it.

local KMSG_PORT = 4700
local HLEN = 52
local FRAG = 1400
local RM_HLEN = 24

local brinch = Proto("brinch", "brinch kernel message layer")
local rmbox = Proto("brinch_rmbox", "brinch remote mailbox")
local mig = Proto("brinch_mig", "brinch process migration")

local types = { [1] = "DATA", [2] = "ACK", [3] = "RST", [4] = "HELLO" }
local services = { [0] = "NOP", [1] = "ECHO", [2] = "ECHO_REPLY", [3] = "MBOX",
	[4] = "MIGRATE" }
local rm_ops = {
	[1] = "LOOKUP", [2] = "SEND", [3] = "SEND_PID", [4] = "CALL", [5] = "CALL_PID",
	[6] = "RECV", [7] = "CANCEL", [16] = "RESULT", [17] = "REPLY", [18] = "MESSAGE",
	[19] = "NOTICE",
}

local f = brinch.fields
f.magic = ProtoField.uint16("brinch.magic", "Magic", base.HEX)
f.version = ProtoField.uint8("brinch.version", "Version")
f.type = ProtoField.uint8("brinch.type", "Type", base.DEC, types)
f.src_node = ProtoField.uint8("brinch.src_node", "Source node")
f.dst_node = ProtoField.uint8("brinch.dst_node", "Destination node")
f.hlen = ProtoField.uint8("brinch.hlen", "Header length")
f.flags = ProtoField.uint8("brinch.flags", "Flags", base.HEX)
f.src_boot = ProtoField.uint32("brinch.src_boot", "Source boot id", base.HEX)
f.dst_boot = ProtoField.uint32("brinch.dst_boot", "Destination boot id", base.HEX)
f.stream = ProtoField.uint32("brinch.stream", "Stream")
f.ack_stream = ProtoField.uint32("brinch.ack_stream", "Acknowledged stream")
f.seq = ProtoField.uint32("brinch.seq", "Sequence number")
f.ack = ProtoField.uint32("brinch.ack", "Next expected (cumulative ack)")
f.sack = ProtoField.uint32("brinch.sack", "Selective ack bits", base.HEX)
f.ts = ProtoField.uint32("brinch.ts", "Lamport timestamp")
f.msg_len = ProtoField.uint32("brinch.msg_len", "Message length")
f.frag = ProtoField.uint16("brinch.frag", "Fragment")
f.nfrags = ProtoField.uint16("brinch.nfrags", "Fragments")
f.service = ProtoField.uint16("brinch.service", "Service", base.DEC, services)
f.len = ProtoField.uint16("brinch.len", "Payload length")
f.payload = ProtoField.bytes("brinch.payload", "Payload")
f.echo_opid = ProtoField.uint32("brinch.echo.opid", "Echo operation (sender's byte order)", base.HEX)

local r = rmbox.fields
r.op = ProtoField.uint8("brinch.rm.op", "Operation", base.DEC, rm_ops)
r.flags = ProtoField.uint8("brinch.rm.flags", "Flags", base.HEX)
r.nowait = ProtoField.bool("brinch.rm.nowait", "IPC_NOWAIT", 8, nil, 0x1)
r.cancelled = ProtoField.bool("brinch.rm.cancelled", "Cancelled", 8, nil, 0x2)
r.opid = ProtoField.uint32("brinch.rm.opid", "Operation id", base.HEX)
r.target = ProtoField.int32("brinch.rm.target", "Target (mailbox id or pid)")
r.sender = ProtoField.int32("brinch.rm.sender", "Sender pid")
r.status = ProtoField.int32("brinch.rm.status", "Status / length")
r.aux = ProtoField.uint32("brinch.rm.aux", "Aux (message flags, mailbox)", base.HEX)
r.data = ProtoField.bytes("brinch.rm.data", "Data")

-- Migration messages (kernel/migrate/mig_wire.h): packed structures in
-- the x86's little-endian order, where kmsg and rmbox headers are big-endian.
local MIG_HLEN = 8
local MIG_VERSION = 1
local MIG_PAGE = 4096
local mig_ops = {
	[1] = "OFFER", [2] = "ACCEPT", [3] = "REFUSE", [4] = "PAGES", [5] = "STATE",
	[6] = "BUILT", [7] = "GO", [8] = "ABORT", [9] = "SIGNAL", [10] = "EXIT",
	[11] = "LOCATION", [12] = "CONSOLE", [13] = "FETCH", [14] = "RELEASE",
	[15] = "WAIT", [16] = "WAITED", [17] = "CHILD",
	[18] = "MBOX", [19] = "MSGS", [20] = "WHERE",
}
local mig_hows = { [0] = "STOP", [1] = "PRECOPY", [2] = "LAZY" }
local fd_kinds = { [0] = "NONE", [1] = "CONSOLE", [2] = "FILE", [3] = "DUP" }
local sig_names = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
	[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
	[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
	[15] = "SIGTERM", [17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP",
}
local regs = { "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip", "eflags",
	"cs", "ss", "ds", "es", "fs", "gs" }
-- The fixed part of each op, header included; PAGES and CONSOLE say
-- in the body how much follows, STATE how many page entries.
local mig_fixed = { [1] = 40, [2] = 8, [3] = 12, [4] = 12, [5] = 2004, [6] = 8, [7] = 12,
	[8] = 8, [9] = 21, [10] = 20, [11] = 20, [12] = 20, [13] = 12, [14] = 8, [15] = 24,
	[16] = 24, [17] = 16 }
local ST_NPAGES = 2000		-- offsets in a STATE message
local ST_FDS = 648
local FD_LEN = 80

local m = mig.fields
m.op = ProtoField.uint8("brinch.mig.op", "Operation", base.DEC, mig_ops)
m.version = ProtoField.uint8("brinch.mig.version", "Version")
m.flags = ProtoField.uint16("brinch.mig.flags", "Flags", base.HEX)
m.mig_id = ProtoField.uint32("brinch.mig.id", "Migration id")
m.home = ProtoField.int32("brinch.mig.home", "Home node")
m.pid = ProtoField.int32("brinch.mig.pid", "Pid at home")
m.how = ProtoField.uint32("brinch.mig.how", "How", base.DEC, mig_hows)
m.npages = ProtoField.uint32("brinch.mig.npages", "Pages in the image")
m.name = ProtoField.string("brinch.mig.name", "Name")
m.err = ProtoField.int32("brinch.mig.err", "Error (-errno)")
m.count = ProtoField.uint32("brinch.mig.count", "Pages in this batch")
m.va = ProtoField.uint32("brinch.mig.va", "Page", base.HEX)
m.page_w = ProtoField.bool("brinch.mig.page_w", "Writable", 32, nil, 0x1)
m.page_data = ProtoField.bytes("brinch.mig.page_data", "Page contents")
m.ppid = ProtoField.int32("brinch.mig.ppid", "Parent pid at home")
for _, r in ipairs(regs) do
	m["reg_" .. r] = ProtoField.uint32("brinch.mig.regs." .. r, r, base.HEX)
end
m.sig_pending = ProtoField.uint32("brinch.mig.sig_pending", "Signals pending", base.HEX)
m.sig_blocked = ProtoField.uint32("brinch.mig.sig_blocked", "Signals blocked", base.HEX)
m.sa_handler = ProtoField.uint32("brinch.mig.sa_handler", "Handler", base.HEX)
m.sa_mask = ProtoField.uint32("brinch.mig.sa_mask", "Mask", base.HEX)
m.sa_flags = ProtoField.uint32("brinch.mig.sa_flags", "Flags", base.HEX)
m.sa_restorer = ProtoField.uint32("brinch.mig.sa_restorer", "Restorer", base.HEX)
m.alarm_ms = ProtoField.uint32("brinch.mig.alarm_ms", "Alarm due in (ms)")
m.nice = ProtoField.int32("brinch.mig.nice", "Nice")
m.level = ProtoField.int32("brinch.mig.level", "MLFQ level")
m.user_ticks = ProtoField.uint32("brinch.mig.user_ticks", "User ticks")
m.sys_ticks = ProtoField.uint32("brinch.mig.sys_ticks", "System ticks")
m.image_end = ProtoField.uint32("brinch.mig.image_end", "Image end", base.HEX)
m.brk = ProtoField.uint32("brinch.mig.brk", "Break", base.HEX)
m.fd = ProtoField.uint8("brinch.mig.fd", "Descriptor kind", base.DEC, fd_kinds)
m.fd_readable = ProtoField.uint8("brinch.mig.fd.readable", "Readable")
m.fd_writable = ProtoField.uint8("brinch.mig.fd.writable", "Writable")
m.fd_ref = ProtoField.uint8("brinch.mig.fd.ref", "Same file as descriptor")
m.fd_offset = ProtoField.uint32("brinch.mig.fd.offset", "Offset")
m.fd_size = ProtoField.uint32("brinch.mig.fd.size", "File size")
m.fd_checksum = ProtoField.uint32("brinch.mig.fd.checksum", "Checksum (FNV-1a)", base.HEX)
m.fd_path = ProtoField.string("brinch.mig.fd.path", "Path")
m.signals = ProtoField.uint32("brinch.mig.signals", "Signals posted after the state was taken",
	base.HEX)
m.sig = ProtoField.int32("brinch.mig.sig", "Signal", base.DEC, sig_names)
m.hops = ProtoField.uint8("brinch.mig.hops", "Hops")
m.status = ProtoField.uint32("brinch.mig.status", "Wait status", base.HEX)
m.node = ProtoField.int32("brinch.mig.node", "Runs on node")
m.clen = ProtoField.uint32("brinch.mig.console_len", "Console bytes")
m.cdata = ProtoField.string("brinch.mig.console", "Console output")

local ex_mig = ProtoExpert.new("brinch.mig.malformed", "Migration message malformed",
	expert.group.MALFORMED, expert.severity.ERROR)
local ex_mig_part = ProtoExpert.new("brinch.mig.partial",
	"First fragment only: the whole message is decoded where its last fragment arrives",
	expert.group.REASSEMBLE, expert.severity.NOTE)
mig.experts = { ex_mig, ex_mig_part }

local ex_len = ProtoExpert.new("brinch.bad_length", "Length does not match the header",
	expert.group.MALFORMED, expert.severity.ERROR)
local ex_magic = ProtoExpert.new("brinch.bad_magic", "Not a brinch message (bad magic)",
	expert.group.MALFORMED, expert.severity.ERROR)
local ex_frag = ProtoExpert.new("brinch.bad_frag", "Fragment numbers do not match the length",
	expert.group.MALFORMED, expert.severity.ERROR)
local ex_retx = ProtoExpert.new("brinch.fragment", "Fragment of a longer message",
	expert.group.REASSEMBLE, expert.severity.NOTE)
brinch.experts = { ex_len, ex_magic, ex_frag, ex_retx }

local function nfrags_for(len)
	if len == 0 then return 1 end
	return math.floor((len + FRAG - 1) / FRAG)
end

local function dissect_rmbox(tvb, pinfo, tree)
	if tvb:len() < RM_HLEN then
		tree:add_proto_expert_info(ex_len, "remote mailbox header cut short")
		return ""
	end
	local t = tree:add(rmbox, tvb(0, RM_HLEN))
	local op = tvb(0, 1):uint()
	t:add(r.op, tvb(0, 1))
	local ft = t:add(r.flags, tvb(1, 1))
	ft:add(r.nowait, tvb(1, 1))
	ft:add(r.cancelled, tvb(1, 1))
	t:add(r.opid, tvb(4, 4))
	t:add(r.target, tvb(8, 4))
	t:add(r.sender, tvb(12, 4))
	t:add(r.status, tvb(16, 4))
	t:add(r.aux, tvb(20, 4))
	if tvb:len() > RM_HLEN then
		t:add(r.data, tvb(RM_HLEN))
	end
	local name = rm_ops[op] or ("op " .. op)
	return string.format(" %s opid %08x target %d status %d", name, tvb(4, 4):uint(),
		tvb(8, 4):int(), tvb(16, 4):int())
end

-- A process's cluster-wide name: "pid 7@1" is pid 7 of home node 1.
local function who_str(tvb, off)
	return string.format("pid %d@%d", tvb(off + 4, 4):le_int(), tvb(off, 4):le_int())
end

-- A fixed-size, NUL-padded string field.  Not a stringz: a forged one
-- may hold no NUL at all, and is shown cut at the field's end instead.
local function cstr(r)
	local s = r:string()
	local z = s:find("\0", 1, true)
	return z and s:sub(1, z - 1) or s
end

local function add_cstr(t, field, r)
	return t:add(field, r, cstr(r))
end

local function add_who(t, tvb, off)
	t:add_le(m.home, tvb(off, 4))
	t:add_le(m.pid, tvb(off + 4, 4))
end

local function add_pages(t, tvb, off, n)
	for i = 0, n - 1 do
		t:add_le(m.va, tvb(off + 4 * i, 4)):add_le(m.page_w, tvb(off + 4 * i, 4))
	end
end

local function wait_str(status)
	if status % 128 == 0 then
		return string.format("exited %d", math.floor(status / 256) % 256)
	end
	return "killed by " .. (sig_names[status % 128] or ("signal " .. status % 128))
end

-- The STATE body, or as much of it as the first fragment holds: the
-- registers are there, the descriptors and page list come later.
local function dissect_state(t, tvb)
	local len = tvb:len()
	add_who(t, tvb, 8)
	t:add_le(m.ppid, tvb(16, 4))
	add_cstr(t, m.name, tvb(20, 16))
	local rt = t:add(mig, tvb(36, 64), "Registers")
	for i, r in ipairs(regs) do
		rt:add_le(m["reg_" .. r], tvb(36 + 4 * (i - 1), 4))
	end
	if len < 620 then return end
	t:add_le(m.sig_pending, tvb(100, 4))
	t:add_le(m.sig_blocked, tvb(104, 4))
	for sig = 0, 31 do
		local off = 108 + 16 * sig
		-- Only the signals not left at SIG_DFL with nothing set.
		if tvb(off, 16):bytes():tohex() ~= string.rep("00", 16) then
			local h = tvb(off, 4):le_uint()
			local what = h == 0 and "SIG_DFL" or h == 1 and "SIG_IGN" or
				string.format("handler 0x%08x", h)
			local st = t:add(mig, tvb(off, 16), string.format("%s: %s",
				sig_names[sig] or ("signal " .. sig), what))
			st:add_le(m.sa_handler, tvb(off, 4))
			st:add_le(m.sa_mask, tvb(off + 4, 4))
			st:add_le(m.sa_flags, tvb(off + 8, 4))
			st:add_le(m.sa_restorer, tvb(off + 12, 4))
		end
	end
	if len < ST_FDS then return end
	t:add_le(m.alarm_ms, tvb(620, 4))
	t:add_le(m.nice, tvb(624, 4))
	t:add_le(m.level, tvb(628, 4))
	t:add_le(m.user_ticks, tvb(632, 4))
	t:add_le(m.sys_ticks, tvb(636, 4))
	t:add_le(m.image_end, tvb(640, 4))
	t:add_le(m.brk, tvb(644, 4))
	for fd = 0, 15 do
		local off = ST_FDS + FD_LEN * fd
		if off + FD_LEN > len then return end
		local kind = tvb(off, 1):uint()
		if kind ~= 0 then
			local label = string.format("fd %d: %s", fd, fd_kinds[kind] or ("kind " .. kind))
			if kind == 2 then
				label = label .. " " .. cstr(tvb(off + 16, 64))
			elseif kind == 3 then
				label = label .. " of fd " .. tvb(off + 3, 1):uint()
			end
			local ft = t:add(mig, tvb(off, FD_LEN), label)
			ft:add(m.fd, tvb(off, 1))
			ft:add(m.fd_readable, tvb(off + 1, 1))
			ft:add(m.fd_writable, tvb(off + 2, 1))
			if kind == 3 then
				ft:add(m.fd_ref, tvb(off + 3, 1))
			elseif kind == 2 then
				ft:add_le(m.fd_offset, tvb(off + 4, 4))
				ft:add_le(m.fd_size, tvb(off + 8, 4))
				ft:add_le(m.fd_checksum, tvb(off + 12, 4))
				add_cstr(ft, m.fd_path, tvb(off + 16, 64))
			end
		end
	end
end

-- One migration message.  whole is false for the first fragment of a
-- longer one: only what that fragment holds is shown, without complaint.
local function dissect_mig(tvb, pinfo, tree, whole)
	local len = tvb:len()
	if len < MIG_HLEN then
		tree:add(mig, tvb()):add_proto_expert_info(ex_mig, "shorter than its header")
		return " (cut short)"
	end
	local op = tvb(0, 1):uint()
	local name = mig_ops[op] or ("op " .. op)
	local need = mig_fixed[op] or MIG_HLEN
	local t = tree:add(mig, tvb(0, math.min(len, math.max(need, MIG_HLEN))))
	t:add(m.op, tvb(0, 1))
	t:add(m.version, tvb(1, 1))
	t:add_le(m.flags, tvb(2, 2))
	t:add_le(m.mig_id, tvb(4, 4))
	local info = " " .. name
	if tvb(4, 4):le_uint() ~= 0 then
		info = info .. string.format(" mig %d", tvb(4, 4):le_uint())
	end
	t:append_text(string.format(", %s", name))
	if not mig_ops[op] or tvb(1, 1):uint() ~= MIG_VERSION then
		t:add_proto_expert_info(ex_mig, "unknown op or version")
		return info
	end
	if not whole then
		t:add_proto_expert_info(ex_mig_part)
		info = info .. " (first fragment)"
	end
	if len < need then
		if op == 5 and len >= 100 and not whole then
			dissect_state(t, tvb)
			info = info .. string.format(" %s '%s' eip %08x esp %08x", who_str(tvb, 8),
				cstr(tvb(20, 16)), tvb(68, 4):le_uint(), tvb(64, 4):le_uint())
		elseif whole then
			t:add_proto_expert_info(ex_mig, string.format("%s needs %d bytes, has %d",
				name, need, len))
		end
		return info
	end

	local want = need		-- the whole message's length, as it says
	if op == 1 then
		add_who(t, tvb, 8)
		t:add_le(m.how, tvb(16, 4))
		t:add_le(m.npages, tvb(20, 4))
		add_cstr(t, m.name, tvb(24, 16))
		info = info .. string.format(" %s %s %d pages '%s'", who_str(tvb, 8),
			mig_hows[tvb(16, 4):le_uint()] or "?", tvb(20, 4):le_uint(),
			cstr(tvb(24, 16)))
	elseif op == 3 then
		t:add_le(m.err, tvb(8, 4))
		info = info .. string.format(" err %d", tvb(8, 4):le_int())
	elseif op == 4 then
		local count = tvb(8, 4):le_uint()
		t:add_le(m.count, tvb(8, 4))
		want = 12 + count * (4 + MIG_PAGE)
		local n = math.min(count, math.floor((len - 12) / 4))
		add_pages(t, tvb, 12, n)
		local first = 12 + 4 * count
		for i = 0, n - 1 do
			if first + (i + 1) * MIG_PAGE <= len then
				t:add(m.page_data, tvb(first + i * MIG_PAGE, MIG_PAGE))
			end
		end
		info = info .. string.format(" %d pages", count)
		if n > 0 then
			info = info .. string.format(" from %08x", tvb(12, 4):le_uint())
		end
	elseif op == 5 then
		local npages = tvb(ST_NPAGES, 4):le_uint()
		dissect_state(t, tvb)
		t:add_le(m.npages, tvb(ST_NPAGES, 4))
		want = need + 4 * npages
		add_pages(t, tvb, need, math.min(npages, math.floor((len - need) / 4)))
		info = info .. string.format(" %s '%s' eip %08x esp %08x %d pages",
			who_str(tvb, 8), cstr(tvb(20, 16)), tvb(68, 4):le_uint(),
			tvb(64, 4):le_uint(), npages)
	elseif op == 7 then
		t:add_le(m.signals, tvb(8, 4))
		info = info .. string.format(" signals %08x", tvb(8, 4):le_uint())
	elseif op == 9 then
		add_who(t, tvb, 8)
		t:add_le(m.sig, tvb(16, 4))
		t:add(m.hops, tvb(20, 1))
		local sig = tvb(16, 4):le_int()
		info = info .. string.format(" %s %s hops %d", who_str(tvb, 8),
			sig_names[sig] or ("signal " .. sig), tvb(20, 1):uint())
	elseif op == 10 then
		add_who(t, tvb, 8)
		t:add_le(m.status, tvb(16, 4))
		info = info .. string.format(" %s %s", who_str(tvb, 8),
			wait_str(tvb(16, 4):le_uint()))
	elseif op == 11 then
		add_who(t, tvb, 8)
		t:add_le(m.node, tvb(16, 4))
		info = info .. string.format(" %s now on node %d", who_str(tvb, 8),
			tvb(16, 4):le_int())
	elseif op == 12 then
		local clen = tvb(16, 4):le_uint()
		add_who(t, tvb, 8)
		t:add_le(m.clen, tvb(16, 4))
		want = 20 + clen
		if len > 20 then
			t:add(m.cdata, tvb(20, math.min(clen, len - 20)))
		end
		info = info .. string.format(" %s %d bytes", who_str(tvb, 8), clen)
	elseif op == 13 then
		local count = tvb(8, 4):le_uint()
		t:add_le(m.count, tvb(8, 4))
		want = 12 + 4 * count
		local n = math.min(count, math.floor((len - 12) / 4))
		add_pages(t, tvb, 12, n)
		info = info .. string.format(" %d pages", count)
		if n > 0 then
			info = info .. string.format(" from %08x", tvb(12, 4):le_uint())
		end
	elseif op == 15 then
		add_who(t, tvb, 8)
		info = info .. string.format(" %s for child %d, options %d", who_str(tvb, 8),
			tvb(16, 4):le_int(), tvb(20, 4):le_int())
	elseif op == 16 then
		add_who(t, tvb, 8)
		local result = tvb(16, 4):le_int()
		t:add_le(m.status, tvb(20, 4))
		if result > 0 then
			info = info .. string.format(" %s child %d %s", who_str(tvb, 8), result,
				wait_str(tvb(20, 4):le_uint()))
		else
			info = info .. string.format(" %s result %d", who_str(tvb, 8), result)
		end
	elseif op == 17 then
		add_who(t, tvb, 8)
		info = info .. string.format(" %s: a child exited", who_str(tvb, 8))
	end
	if whole and len ~= want then
		t:add_proto_expert_info(ex_mig, string.format("%s says %d bytes, message has %d",
			name, want, len))
	end
	return info
end

-- Fragments of migration messages, kept until each message is whole.
-- A message's fragments travel as consecutive packets of one stream
-- (kmsg.c sends them in order), so the stream and the sequence number
-- of fragment 0 name the message.  mig_whole maps the frame that
-- completed a message to its bytes, for later passes over the capture.
local mig_parts, mig_whole = {}, {}

function brinch.init()
	mig_parts, mig_whole = {}, {}
end

local function mig_reassemble(tvb, pinfo, payload)
	local frag, nfrags = tvb(44, 2):uint(), tvb(46, 2):uint()
	local key = string.format("%d/%08x/%d/%d", tvb(4, 1):uint(), tvb(8, 4):uint(),
		tvb(16, 4):uint(), (tvb(24, 4):uint() - frag) % 4294967296)
	local p = mig_parts[key]
	if not p then
		p = { n = nfrags, got = 0, frags = {} }
		mig_parts[key] = p
	end
	if p.done or p.frags[frag] or frag >= p.n then
		return			-- a retransmission, or a forged index
	end
	p.frags[frag] = payload:bytes()
	p.got = p.got + 1
	if p.got == p.n then
		local all = ByteArray.new()
		for i = 0, p.n - 1 do
			all:append(p.frags[i])
		end
		p.frags, p.done = nil, true
		mig_whole[pinfo.number] = all
	end
end

function brinch.dissector(tvb, pinfo, tree)
	if tvb:len() < 2 then return 0 end
	pinfo.cols.protocol = "BRINCH"
	local t = tree:add(brinch, tvb())
	if tvb:len() < HLEN then
		t:add_proto_expert_info(ex_len, "shorter than the 52-byte header")
		pinfo.cols.info = "brinch: truncated"
		return tvb:len()
	end
	t:add(f.magic, tvb(0, 2))
	if tvb(0, 2):uint() ~= 0x424B then
		t:add_proto_expert_info(ex_magic)
		pinfo.cols.info = "brinch: bad magic"
		return tvb:len()
	end
	t:add(f.version, tvb(2, 1))
	t:add(f.type, tvb(3, 1))
	t:add(f.src_node, tvb(4, 1))
	t:add(f.dst_node, tvb(5, 1))
	t:add(f.hlen, tvb(6, 1))
	t:add(f.flags, tvb(7, 1))
	t:add(f.src_boot, tvb(8, 4))
	t:add(f.dst_boot, tvb(12, 4))
	t:add(f.stream, tvb(16, 4))
	t:add(f.ack_stream, tvb(20, 4))
	t:add(f.seq, tvb(24, 4))
	t:add(f.ack, tvb(28, 4))
	t:add(f.sack, tvb(32, 4))
	t:add(f.ts, tvb(36, 4))
	t:add(f.msg_len, tvb(40, 4))
	t:add(f.frag, tvb(44, 2))
	t:add(f.nfrags, tvb(46, 2))
	t:add(f.service, tvb(48, 2))
	t:add(f.len, tvb(50, 2))

	local ty = tvb(3, 1):uint()
	local src, dst = tvb(4, 1):uint(), tvb(5, 1):uint()
	local len = tvb(50, 2):uint()
	local info = string.format("%s %d->%d", types[ty] or ("type " .. ty), src, dst)
	if len ~= tvb:len() - HLEN then
		t:add_proto_expert_info(ex_len, string.format("payload length %d, datagram holds %d",
			len, tvb:len() - HLEN))
	end
	if ty == 1 then
		local msg_len, frag, nfrags = tvb(40, 4):uint(), tvb(44, 2):uint(), tvb(46, 2):uint()
		local svc = tvb(48, 2):uint()
		info = info .. string.format(" seq %d ack %d ts %d %s", tvb(24, 4):uint(),
			tvb(28, 4):uint(), tvb(36, 4):uint(), services[svc] or ("service " .. svc))
		if nfrags ~= nfrags_for(msg_len) or frag >= nfrags then
			t:add_proto_expert_info(ex_frag)
		end
		if nfrags > 1 then
			t:add_proto_expert_info(ex_retx, string.format("fragment %d of %d, message %d bytes",
				frag, nfrags, msg_len))
			info = info .. string.format(" frag %d/%d len %d", frag, nfrags, msg_len)
		end
		if tvb:len() > HLEN then
			local payload = tvb(HLEN)
			t:add(f.payload, payload)
			if svc == 3 and frag == 0 then
				info = info .. dissect_rmbox(payload:tvb(), pinfo, tree)
			elseif svc == 4 and nfrags <= 1 then
				info = info .. dissect_mig(payload:tvb(), pinfo, tree, true)
			elseif svc == 4 then
				if not pinfo.visited then
					mig_reassemble(tvb, pinfo, payload)
				end
				local whole = mig_whole[pinfo.number]
				if whole then
					info = info .. dissect_mig(whole:tvb("Migration message"),
						pinfo, tree, true)
				elseif frag == 0 then
					info = info .. dissect_mig(payload:tvb(), pinfo, tree, false)
				end
			elseif (svc == 1 or svc == 2) and frag == 0 and payload:len() >= 4 then
				t:add(f.echo_opid, payload(0, 4))
			end
		end
	elseif ty == 2 then
		info = info .. string.format(" stream %d ack %d sack %08x", tvb(20, 4):uint(),
			tvb(28, 4):uint(), tvb(32, 4):uint())
	elseif ty == 3 then
		info = info .. string.format(" refusing stream %d", tvb(20, 4):uint())
	elseif ty == 4 then
		info = info .. string.format(" boot %08x", tvb(8, 4):uint())
	end
	pinfo.cols.info = info
	return tvb:len()
end

DissectorTable.get("udp.port"):add(KMSG_PORT, brinch)
