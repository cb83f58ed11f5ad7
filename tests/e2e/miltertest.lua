-- miltertest.lua: drives embargo-milter directly over the milter protocol, as
-- a second, independent milter client (miltertest speaks the MTA side the
-- way Sendmail does: angle-bracketed envelope addresses, Sendmail macros).
-- Run by t_l_miltertest.sh:
--   miltertest -D sock=inet:PORT@127.0.0.1 -s miltertest.lua
-- The daemon's config has three releases: widgets-e2e (quarantine),
-- rejects-e2e (reject, identifier "Reject Release Figures") and strips-e2e
-- (strip, identifier "Strip Release Figures"); PRA recipient
-- pra.minister@gov.e2e.test for each.

local failures = 0

local function fail(case, what)
	mt.echo("FAIL " .. case .. ": " .. what)
	failures = failures + 1
end

-- Runs one transaction up to end of message; returns the connection.
local function transaction(case, rcpts, headers, body)
	local conn = mt.connect(sock, 20, 0.25)
	if conn == nil then
		error(case .. ": cannot connect to " .. sock)
	end
	mt.set_timeout(60)
	if mt.conninfo(conn, "desk.stats.e2e.test", "127.0.0.1") ~= nil then
		error(case .. ": conninfo failed")
	end
	if mt.helo(conn, "desk.stats.e2e.test") ~= nil then
		error(case .. ": helo failed")
	end
	mt.macro(conn, SMFIC_MAIL, "i", "MT" .. case, "{mail_addr}", "analyst@stats.e2e.test")
	if mt.mailfrom(conn, "<analyst@stats.e2e.test>") ~= nil then
		error(case .. ": mailfrom failed")
	end
	for _, r in ipairs(rcpts) do
		if mt.rcptto(conn, "<" .. r .. ">") ~= nil then
			error(case .. ": rcptto failed")
		end
	end
	for _, h in ipairs(headers) do
		if mt.header(conn, h[1], h[2]) ~= nil then
			error(case .. ": header failed")
		end
	end
	if mt.eoh(conn) ~= nil then
		error(case .. ": eoh failed")
	end
	if mt.bodystring(conn, body) ~= nil then
		error(case .. ": body failed")
	end
	if mt.eom(conn) ~= nil then
		error(case .. ": eom failed")
	end
	return conn
end

local function std_headers(subject, extra)
	local h = {
		{ "From", "Analyst <analyst@stats.e2e.test>" },
		{ "To", "outsider@out.e2e.test" },
		{ "Subject", subject },
		{ "Date", "Mon, 2 Jan 2023 09:00:00 +0000" },
		{ "Message-ID", "<" .. subject .. "@stats.e2e.test>" },
	}
	if extra ~= nil then
		table.insert(h, 2, extra)
	end
	return h
end

local function leak(identifier)
	return "OFFICIAL-SENSITIVE\r\n\r\nBriefing on " .. identifier ..
	    " before publication.\r\nDo not forward.\r\n"
end

-- Value of the X-Embargo-Milter field the filter added (added or inserted).
local function verdict(conn)
	local v = mt.getheader(conn, "X-Embargo-Milter", 0)
	if v == nil then
		return ""
	end
	-- the milter negotiates SMFIP_HDR_LEADSPC, so its values carry the
	-- space after the colon themselves
	return (string.gsub(v, "^%s+", ""))
end

local function accepted(conn)
	local r = mt.getreply(conn)
	return r == SMFIR_ACCEPT or r == SMFIR_CONTINUE
end

-- 1. quarantine: held by the MTA (smfi_quarantine), verdict header added.
do
	local c = "quarantine"
	local conn = transaction(c, { "outsider@out.e2e.test" }, std_headers("mt-quarantine"),
	    leak("Widget Production Statistics"))
	if not accepted(conn) then fail(c, "reply is not accept/continue") end
	if not mt.eom_check(conn, MT_QUARANTINE) then fail(c, "no quarantine action") end
	local v = verdict(conn)
	if not string.find(v, "^quarantined") then fail(c, "X-Embargo-Milter is '" .. v .. "'") end
	if not string.find(v, "release=widgets%-e2e") then fail(c, "no release id in '" .. v .. "'") end
	mt.disconnect(conn)
end

-- 2. reject: 550 5.7.1 at end of message.
do
	local c = "reject"
	local conn = transaction(c, { "outsider@out.e2e.test" }, std_headers("mt-reject"),
	    leak("Reject Release Figures"))
	-- Only the reply type is checked here: miltertest 2.11.0~beta2's
	-- MT_SMTPREPLY check matches only with the full text given, which is
	-- the daemon's to word. t_b_reject checks "550 5.7.1 ... id" via Postfix.
	if mt.getreply(conn) ~= SMFIR_REPLYCODE then fail(c, "reply is not a reply code") end
	if mt.eom_check(conn, MT_QUARANTINE) then fail(c, "also quarantined") end
	mt.disconnect(conn)
end

-- 3. strip: only the outsider is removed, the PRA recipient stays.
do
	local c = "strip"
	local conn = transaction(c, { "pra.minister@gov.e2e.test", "outsider@out.e2e.test" },
	    std_headers("mt-strip"), leak("Strip Release Figures"))
	if not accepted(conn) then fail(c, "reply is not accept/continue") end
	if not (mt.eom_check(conn, MT_RCPTDELETE, "<outsider@out.e2e.test>") or
	    mt.eom_check(conn, MT_RCPTDELETE, "outsider@out.e2e.test")) then
		fail(c, "outsider not removed")
	end
	if mt.eom_check(conn, MT_RCPTDELETE, "<pra.minister@gov.e2e.test>") or
	    mt.eom_check(conn, MT_RCPTDELETE, "pra.minister@gov.e2e.test") then
		fail(c, "PRA recipient removed")
	end
	if mt.eom_check(conn, MT_QUARANTINE) then fail(c, "quarantined instead of stripped") end
	local v = verdict(conn)
	if not string.find(v, "^stripped") then fail(c, "X-Embargo-Milter is '" .. v .. "'") end
	mt.disconnect(conn)
end

-- 4. clean mail with a forged verdict header: accepted, forged field
-- deleted, our "accept" added.
do
	local c = "clean"
	local conn = transaction(c, { "outsider@out.e2e.test" },
	    std_headers("mt-clean", { "X-Embargo-Milter", "accept; forged" }),
	    "Minutes of the allotment society.\r\n")
	if not accepted(conn) then fail(c, "reply is not accept/continue") end
	if mt.eom_check(conn, MT_QUARANTINE) then fail(c, "clean mail quarantined") end
	if not mt.eom_check(conn, MT_HDRDELETE, "X-Embargo-Milter") then
		fail(c, "forged X-Embargo-Milter not deleted")
	end
	local v = verdict(conn)
	if not string.find(v, "^accept") then fail(c, "X-Embargo-Milter is '" .. v .. "'") end
	mt.disconnect(conn)
end

if failures > 0 then
	error(failures .. " check(s) failed")
end
mt.echo("miltertest: all checks passed")
