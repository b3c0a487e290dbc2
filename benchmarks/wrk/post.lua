-- Posting a comment: the comment form's POST, each with a text of its own.
-- Arguments: the post URL's path, the CSRF token from the form, the start of the text
-- (already URL-encoded). The session and CSRF cookies come as -H "Cookie: ...".
-- A redirect (the form's PRG) is a posted comment, unless it sends the reader to log in.
local common = dofile((os.getenv("BENCH_WRK_DIR") or "benchmarks/wrk") .. "/common.lua")

setup = common.setup

function init(args)
  path, token, text = args[1], args[2], args[3]
  sent = 0
  posted, to_login, other, client_errors, server_errors = 0, 0, 0, 0, 0
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  sent = sent + 1
  local body = "csrfmiddlewaretoken=" .. token .. "&body=" .. text .. thread_id .. "-" .. sent
  return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
  if common.count_error(status) then
    return
  end
  if status >= 300 then
    local location = headers["Location"] or headers["location"] or ""
    if location:find("/accounts/login/", 1, true) then
      to_login = to_login + 1
    else
      posted = posted + 1
    end
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  common.report(summary, latency, {
    posted = common.total("posted"),
    to_login = common.total("to_login"),
    other = common.total("other"),
    client_errors = common.total("client_errors"),
    server_errors = common.total("server_errors"),
  })
end
