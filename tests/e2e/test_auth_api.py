"""Logins, sessions, CSRF, API tokens and users of a real `ophanimflow run`
over real HTTP (http.client), on a fresh store.

The first start makes the user admin with a random password and says so
once in the log; the tests log in with it. Then: a wrong password or user
is a 401, five failures from one address make that address wait (429 with
Retry-After) while another address still gets in; a change made with the
cookie needs the session's CSRF token; an API token works without one and
stops working once revoked; users are added, given new passwords (which
ends their other sessions) and removed, never the one logged in; bodies
that are not small JSON objects are refused before an endpoint sees them.
The CLI's `users` and `passwd` work on the same store, and sessions
survive a restart of the daemon."""
import http.client
import json
import os
import re
import subprocess

import ofe2e


class Checks(ofe2e.Failures):
    def __init__(self):
        super().__init__()
        self.n = 0

    def check(self, ok, msg):
        self.n += 1
        super().check(ok, msg)


def check_first_start(d, fails):
    out = d.output()
    lines = [l for l in out.splitlines() if "created user admin" in l]
    fails.check(len(lines) == 1 and re.search(
        r"created user admin with password [A-Za-z0-9]{20} \(change it with: ophanimflow passwd admin\)$",
        lines[0]), "first start: %r" % lines)
    fails.check(d.admin_password is not None, "no admin password in the log")


def check_login(d, fails):
    port = d.http_port
    a = ofe2e.Api(port)
    st, j = a.json("GET", "/api/v1/session")
    fails.check(st == 401 and j == {"error": "not logged in"}, "session before login: %d %s" % (st, j))
    st, h, body = a.request("POST", "/api/v1/login", {"user": "admin", "password": d.admin_password})
    j = json.loads(body)
    fails.check(st == 200 and j["user"] == "admin" and re.fullmatch(r"[A-Za-z0-9_-]{43}", j["csrf"]),
                "login: %d %s" % (st, j))
    cookie = h.get("set-cookie", "")
    fails.check(re.fullmatch(r"of_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict", cookie),
                "Set-Cookie: %r" % cookie)
    a.csrf = j["csrf"]
    st, s = a.json("GET", "/api/v1/session")
    fails.check(st == 200 and s == {"user": "admin", "csrf": j["csrf"]}, "session: %d %s" % (st, s))
    st, _ = a.json("GET", "/api/v1/hosts")
    fails.check(st == 200, "hosts with the cookie: %d" % st)
    for user, pw in (("admin", "wrong password"), ("nobody", d.admin_password), ("", "x"), ("admin", "")):
        b = ofe2e.Api(port, "::1")
        st, j = b.json("POST", "/api/v1/login", {"user": user, "password": pw})
        want = 401 if user and pw else 400
        fails.check(st == want and (want == 400 or j == {"error": "wrong user name or password"}),
                    "login %r/%r: %d %s" % (user, pw, st, j))
        fails.check(b.cookie is None, "a failed login set a cookie")
        b.close()
    # two failures from ::1 so far (the two 400s do not count)
    return a


def check_rate_limit(d, fails):
    """::1 has two failures from check_login; three more, then it waits."""
    port = d.http_port
    b = ofe2e.Api(port, "::1")
    for i in range(3):
        st, _ = b.json("POST", "/api/v1/login", {"user": "admin", "password": "nope %d" % i})
        fails.check(st == 401, "failure %d: %d" % (i + 3, st))
    for pw in ("nope", d.admin_password):  # even the right password waits
        st, h, body = b.request("POST", "/api/v1/login", {"user": "admin", "password": pw})
        j = json.loads(body)
        m = re.fullmatch(r"too many failed logins; try again in (\d+) s", j.get("error", ""))
        fails.check(st == 429 and m and 0 < int(m.group(1)) <= 300 and h.get("retry-after") == m.group(1),
                    "sixth attempt: %d %s %s" % (st, j, h.get("retry-after")))
    b.close()
    # another address is not held up
    c = ofe2e.Api(port)
    st, _ = c.json("POST", "/api/v1/login", {"user": "admin", "password": d.admin_password})
    fails.check(st == 200, "login from 127.0.0.1 while ::1 waits: %d" % st)
    c.close()


def check_csrf(a, fails):
    body = {"name": "csrf-test", "password": "long enough"}
    st, j = a.json("POST", "/api/v1/users", body, csrf=False)
    fails.check(st == 403 and j == {"error": "missing or wrong CSRF token"}, "no CSRF: %d %s" % (st, j))
    st, j = a.json("POST", "/api/v1/users", body, headers={"X-CSRF-Token": "x" * 43})
    fails.check(st == 403, "wrong CSRF: %d %s" % (st, j))
    st, j = a.json("POST", "/api/v1/users", body, headers={"X-CSRF-Token": a.csrf[:-1]})
    fails.check(st == 403, "short CSRF: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/users?name=csrf-test", csrf=False)
    fails.check(st == 403, "DELETE without CSRF: %d %s" % (st, j))
    st, j = a.json("POST", "/api/v1/logout", csrf=False)
    fails.check(st == 403, "logout without CSRF: %d %s" % (st, j))
    _, users = a.json("GET", "/api/v1/users")
    fails.check("csrf-test" not in [u["name"] for u in users["users"]], "a refused change happened")
    st, j = a.json("POST", "/api/v1/users", body)
    fails.check(st == 201 and j["name"] == "csrf-test", "with CSRF: %d %s" % (st, j))
    st, _ = a.json("DELETE", "/api/v1/users?name=csrf-test")
    fails.check(st == 204, "DELETE with CSRF: %d" % st)
    # no cookie, no token: login first
    n = ofe2e.Api(a.conn.port)
    st, j = n.json("POST", "/api/v1/users", body)
    fails.check(st == 401 and j == {"error": "login required"}, "change without login: %d %s" % (st, j))
    n.close()


def check_bodies(a, fails):
    port = a.conn.port
    cases = [
        ("POST", "/api/v1/users", b"{", {}, 400, "not valid JSON"),
        ("POST", "/api/v1/users", b"[1,2]", {}, 400, "JSON object"),
        ("POST", "/api/v1/users", b'{"name":"a","name":"b","password":"12345678"}', {}, 400, "not valid JSON"),
        ("POST", "/api/v1/users", b'{"name":"x","password":"12345678"}', {"Content-Type": "text/plain"}, 400,
         "Content-Type"),
        ("POST", "/api/v1/users", b'{"name":"x"}' + b" " * (17 * 1024), {}, 413, "too large"),
        ("POST", "/api/v1/users", b'{"name":"x\\u0000y","password":"12345678"}', {}, 400, "JSON"),
        ("POST", "/api/v1/users", b"", {}, 400, "JSON object"),
        ("GET", "/api/v1/users", b'{"a":1}', {}, 413, "not accepted"),
        ("PUT", "/api/v1/users", None, {}, 405, "not allowed"),
        ("POST", "/api/v1/hosts", b"{}", {}, 405, "not allowed"),
        ("DELETE", "/api/v1/login", None, {}, 405, "not allowed"),
        ("GET", "/api/v1/nope", None, {}, 404, "not found"),
        ("GET", "/of//api/v2/hosts", None, {}, 404, "not found"),
    ]
    for method, path, raw, hdrs, want, why in cases:
        b = ofe2e.Api(port)
        b.cookie, b.csrf = a.cookie, a.csrf
        try:
            st, h, body = b.request(method, path, raw=raw, headers=hdrs)
        except (http.client.HTTPException, OSError) as e:
            fails.check(False, "%s %s %r...: %r" % (method, path, raw[:20] if raw else raw, e))
            continue
        j = json.loads(body) if body else {}
        fails.check(st == want and why in j.get("error", ""),
                    "%s %s %r...: %d %s, want %d %r" % (method, path, raw[:30] if raw else raw, st, j, want, why))
        if want == 405:
            fails.check(h.get("allow") in ("GET, HEAD, POST, DELETE", "POST", "GET, HEAD"), "Allow: %s" % h)
        b.close()
    # a chunked body past the cap
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/api/v1/users", body=iter([b'{"name":"' + b"x" * 9000, b"y" * 9000 + b'"}']),
                     headers={"Content-Type": "application/json", "Cookie": "of_session=" + a.cookie,
                              "X-CSRF-Token": a.csrf}, encode_chunked=True)
        r = conn.getresponse()
        fails.check(r.status == 413, "chunked 18 kB body: %d" % r.status)
    except (http.client.HTTPException, OSError) as e:
        fails.check(False, "chunked body: %r" % e)
    conn.close()


def check_tokens(d, a, fails):
    port = d.http_port
    st, t = a.json("POST", "/api/v1/tokens", {"name": "billing"})
    fails.check(st == 201 and t["name"] == "billing" and re.fullmatch(r"of_[A-Za-z0-9_-]{43}", t["token"])
                and isinstance(t["id"], int), "token: %d %s" % (st, t))
    for bad in ({"name": ""}, {"name": "x" * 65}, {"name": "a\tb"}, {}, {"name": 5}):
        st, j = a.json("POST", "/api/v1/tokens", bad)
        fails.check(st == 400 and j.get("field") == "name", "token %s: %d %s" % (bad, st, j))
    _, lst = a.json("GET", "/api/v1/tokens")
    mine = [x for x in lst["tokens"] if x["id"] == t["id"]]
    fails.check(len(mine) == 1 and mine[0]["last_used"] is None and "token" not in mine[0]
                and mine[0]["name"] == "billing" and mine[0]["created"] > 0, "tokens: %s" % lst)
    b = ofe2e.Api(port, token=t["token"])
    st, hosts = b.json("GET", "/api/v1/hosts")
    fails.check(st == 200 and "hosts" in hosts, "hosts with the token: %d" % st)
    # a change needs no CSRF token with a bearer token
    st, j = b.json("POST", "/api/v1/users", {"name": "scripted", "password": "from a script"})
    fails.check(st == 201, "change with the token: %d %s" % (st, j))
    st, _ = b.json("DELETE", "/api/v1/users?name=scripted")
    fails.check(st == 204, "delete with the token: %d" % st)
    st, j = b.json("GET", "/api/v1/session")
    fails.check(st == 401, "session of a token: %d %s" % (st, j))
    _, lst = a.json("GET", "/api/v1/tokens")
    mine = [x for x in lst["tokens"] if x["id"] == t["id"]]
    fails.check(mine and isinstance(mine[0]["last_used"], int), "last_used after use: %s" % mine)
    # a token in the header wins over the cookie, and a bad one is a 401
    c = ofe2e.Api(port, token="of_" + "A" * 43)
    c.cookie = a.cookie
    st, j = c.json("GET", "/api/v1/hosts")
    fails.check(st == 401 and j == {"error": "login required"}, "unknown token: %d %s" % (st, j))
    c.close()
    st, _ = a.json("DELETE", "/api/v1/tokens?id=%d" % t["id"])
    fails.check(st == 204, "revoke: %d" % st)
    st, j = b.json("GET", "/api/v1/hosts")
    fails.check(st == 401 and j == {"error": "login required"}, "revoked token: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/tokens?id=%d" % t["id"])
    fails.check(st == 404 and j.get("field") == "id", "revoke again: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/tokens?id=abc")
    fails.check(st == 400, "revoke id=abc: %d %s" % (st, j))
    b.close()


def check_users(d, a, fails):
    port = d.http_port
    st, j = a.json("POST", "/api/v1/users", {"name": "alice", "password": "alice's first"})
    fails.check(st == 201 and j["name"] == "alice" and j["created"] > 0, "add alice: %d %s" % (st, j))
    for body, field, status in (({"name": "alice", "password": "another one"}, "name", 409),
                                ({"name": "al ice", "password": "long enough"}, "name", 400),
                                ({"name": "", "password": "long enough"}, "name", 400),
                                ({"name": "x" * 65, "password": "long enough"}, "name", 400),
                                ({"name": "bob", "password": "short"}, "password", 400),
                                ({"name": "bob", "password": ""}, "password", 400),
                                ({"name": "bob", "password": "x" * 1025}, "password", 400),
                                ({"name": "bob"}, "password", 400)):
        st, j = a.json("POST", "/api/v1/users", body)
        fails.check(st == status and j.get("field") == field, "add %s: %d %s" % (body, st, j))
    _, users = a.json("GET", "/api/v1/users")
    fails.check(sorted(u["name"] for u in users["users"]) == ["admin", "alice"], "users: %s" % users)
    # alice logs in twice; a password change by admin ends both sessions
    al1, al2 = ofe2e.Api(port), ofe2e.Api(port)
    al1.login("alice", "alice's first")
    al2.login("alice", "alice's first")
    st, _ = a.json("POST", "/api/v1/users/password", {"name": "alice", "password": "alice's second"})
    fails.check(st == 204, "admin sets alice's password: %d" % st)
    for al in (al1, al2):
        st, _ = al.json("GET", "/api/v1/session")
        fails.check(st == 401, "alice's session after the change: %d" % st)
    st, _ = ofe2e.Api(port).json("POST", "/api/v1/login", {"user": "alice", "password": "alice's first"})
    fails.check(st == 401, "old password: %d" % st)
    al1.login("alice", "alice's second")
    al2.login("alice", "alice's second")
    # alice changes her own: her session stays, her other one ends
    st, _ = al1.json("POST", "/api/v1/users/password", {"name": "alice", "password": "alice's third"})
    fails.check(st == 204, "alice sets her own: %d" % st)
    st, _ = al1.json("GET", "/api/v1/session")
    fails.check(st == 200, "alice's own session after her change: %d" % st)
    st, _ = al2.json("GET", "/api/v1/session")
    fails.check(st == 401, "alice's other session after her change: %d" % st)
    st, j = a.json("POST", "/api/v1/users/password", {"name": "nobody", "password": "long enough"})
    fails.check(st == 404 and j.get("field") == "name", "password of nobody: %d %s" % (st, j))
    st, j = a.json("POST", "/api/v1/users/password", {"name": "alice", "password": "short"})
    fails.check(st == 400 and j.get("field") == "password", "short password: %d %s" % (st, j))
    # nobody removes themselves; alice removes admin? no: admin removes alice
    st, j = a.json("DELETE", "/api/v1/users?name=admin")
    fails.check(st == 409 and j == {"error": "you cannot delete the user you are logged in as", "field": "name"},
                "delete yourself: %d %s" % (st, j))
    st, _ = a.json("DELETE", "/api/v1/users?name=alice")
    fails.check(st == 204, "delete alice: %d" % st)
    st, _ = al1.json("GET", "/api/v1/session")
    fails.check(st == 401, "a removed user's session: %d" % st)
    st, j = a.json("DELETE", "/api/v1/users?name=alice")
    fails.check(st == 404 and j.get("field") == "name", "delete alice again: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/users")
    fails.check(st == 400 and j.get("field") == "name", "delete without a name: %d %s" % (st, j))
    for c in (al1, al2):
        c.close()


def check_logout(d, a, fails):
    cookie = a.cookie
    st, h, body = a.request("POST", "/api/v1/logout")
    fails.check(st == 204 and body == b"", "logout: %d %r" % (st, body))
    fails.check(h.get("set-cookie", "").startswith("of_session=; Path=/; HttpOnly; SameSite=Strict")
                and "Max-Age=0" in h.get("set-cookie", ""), "logout cookie: %s" % h.get("set-cookie"))
    b = ofe2e.Api(d.http_port)
    b.cookie = cookie
    st, _ = b.json("GET", "/api/v1/session")
    fails.check(st == 401, "session after logout: %d" % st)
    st, _ = b.json("GET", "/api/v1/hosts")
    fails.check(st == 401, "hosts after logout: %d" % st)
    b.close()


def check_cli(db, fails):
    p = subprocess.run([ofe2e.BIN, "users", "--db", db], stdout=subprocess.PIPE, text=True)
    fails.check(p.returncode == 0 and p.stdout == "admin\n", "users: %d %r" % (p.returncode, p.stdout))
    ofe2e.set_password(db, "bob", "bob's password")
    p = subprocess.run([ofe2e.BIN, "--db", db, "users"], stdout=subprocess.PIPE, text=True)
    fails.check(p.returncode == 0 and p.stdout == "admin\nbob\n", "users, options first: %r" % p.stdout)
    p = subprocess.run([ofe2e.BIN, "passwd", "--db", db, "bob", "--random"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    pw = p.stdout.strip()
    fails.check(p.returncode == 0 and re.fullmatch(r"[A-Za-z0-9]{20}", pw), "passwd --random: %r" % p.stdout)
    for args, stdin in ((["passwd", "--db", db, "bob"], "short\n"), (["passwd", "--db", db, "bad name"], "long enough\n"),
                        (["passwd", "--db", db], ""), (["passwd", "--db", db, "bob"], "")):
        p = subprocess.run([ofe2e.BIN] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        fails.check(p.returncode == 2, "%s with %r: exit %d" % (args, stdin, p.returncode))
    return pw


def main():
    fails = Checks()
    counts = {}
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    d = ofe2e.Daemon(db, ["10.20.0.0/24"], http=True)
    cookie = None
    try:
        steps = [("first start", lambda: check_first_start(d, fails))]
        state = {}

        def login():
            state["a"] = check_login(d, fails)

        steps += [("login", login), ("rate limit", lambda: check_rate_limit(d, fails)),
                  ("csrf", lambda: check_csrf(state["a"], fails)),
                  ("bodies", lambda: check_bodies(state["a"], fails)),
                  ("tokens", lambda: check_tokens(d, state["a"], fails)),
                  ("users", lambda: check_users(d, state["a"], fails))]
        for what, fn in steps:
            before, failed = fails.n, len(fails.items)
            fn()
            counts[what] = (fails.n - before, len(fails.items) - failed)
        cookie, csrf = state["a"].cookie, state["a"].csrf
    finally:
        d.stop()
    # the CLI on the stopped daemon's store, then a restart: the session lives on
    before, failed = fails.n, len(fails.items)
    bob_pw = check_cli(db, fails)
    d = ofe2e.Daemon(db, ["10.20.0.0/24"], http=True)
    try:
        fails.check("created user admin" not in d.output(), "a second admin was made")
        a = ofe2e.Api(d.http_port)
        a.cookie, a.csrf = cookie, csrf
        st, s = a.json("GET", "/api/v1/session")
        fails.check(st == 200 and s == {"user": "admin", "csrf": csrf}, "session after a restart: %d %s" % (st, s))
        b = ofe2e.Api(d.http_port)
        st, _ = b.json("POST", "/api/v1/login", {"user": "bob", "password": bob_pw})
        fails.check(st == 200, "bob with the password passwd --random printed: %d" % st)
        b.close()
        counts["cli, restart"] = (fails.n - before, len(fails.items) - failed)
        before, failed = fails.n, len(fails.items)
        check_logout(d, a, fails)
        counts["logout"] = (fails.n - before, len(fails.items) - failed)
        a.close()
    finally:
        d.stop()
    for what, (n, bad) in counts.items():
        print("%-22s %4d checks, %d failed" % (what, n, bad))
    return fails.done("auth api")


if __name__ == "__main__":
    ofe2e.main(main)
