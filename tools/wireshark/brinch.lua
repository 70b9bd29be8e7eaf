-- brinch.lua: a Wireshark/tshark dissector for brinch's kernel message
-- layer (kernel/dist/kmsg*.c, UDP port 4700) and the remote mailbox
-- protocol it carries (kernel/rmbox*.c).  Every field is described in
-- docs/protocol.md.  Use:
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

local types = { [1] = "DATA", [2] = "ACK", [3] = "RST", [4] = "HELLO" }
local services = { [0] = "NOP", [1] = "ECHO", [2] = "ECHO_REPLY", [3] = "MBOX" }
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
