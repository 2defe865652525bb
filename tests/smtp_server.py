"""A real SMTP server for tests/email.rs, built on aiosmtpd.

Listens on a free loopback port, prints `PORT <n>` on stdout once it accepts
connections, and writes every message it receives to MAILDIR as
`<n>.eml` (the raw message) and `<n>.json` (the envelope: mail_from,
rcpt_tos, whether TLS was on, the authenticated user), each written to a
temporary name first and renamed, so a reader never sees half a file.

Modes (--mode):
  healthy            accept everything
  close-after-first  accept the first message, then hang up: a further MAIL
                     on that session gets 421 and the connection closes, and
                     every later session gets 421 and is closed
  hang-after-first   accept the first message, then never answer again
                     (a run stuck there is killed by the test)
  drop-first-reply   store the first message but hang up instead of
                     answering its DATA (the client cannot know it arrived);
                     everything after that is accepted

--refuse-rcpt ADDRESS answers RCPT TO for that address with a 550 that
quotes the address, like Postfix does. --tls-cert/--tls-key enable STARTTLS
(required before MAIL) or, with --implicit-tls, TLS from the first byte.
--auth USER:PASSWORD requires AUTH with those credentials.
"""

import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class State:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.closed = False


class Handler:
    def __init__(self, state):
        self.state = state

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refuse = self.state.args.refuse_rcpt
        if refuse and address.lower() == refuse.lower():
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.state.closed and self.state.args.mode == "hang-after-first":
            await asyncio.sleep(3600)
        if self.state.closed and self.state.args.mode == "close-after-first":
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.3.2 Service not available, closing channel"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        st = self.state
        st.count += 1
        n = st.count
        maildir = st.args.maildir
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None
            or server.transport.get_extra_info("sslcontext") is not None,
            "auth": (session.auth_data.login.decode()
                     if session.authenticated and isinstance(session.auth_data, LoginPassword)
                     else None),
        }
        for name, data in ((f"{n}.eml", envelope.original_content or envelope.content),
                           (f"{n}.json", json.dumps(meta).encode())):
            tmp = os.path.join(maildir, f".{name}.tmp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(maildir, name))
        if st.args.mode == "drop-first-reply" and n == 1:
            server.transport.close()
            await asyncio.sleep(3600)
        if st.args.mode in ("close-after-first", "hang-after-first") and n == 1:
            st.closed = True
            if st.args.mode == "close-after-first":
                asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return "250 2.0.0 OK: queued"


class Refuser(asyncio.Protocol):
    """A session after the server went away: 421, then hang up."""

    def connection_made(self, transport):
        transport.write(b"421 4.3.2 Service not available, closing channel\r\n")
        transport.close()


class Silent(asyncio.Protocol):
    """A session after the server hung: never a byte."""


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--maildir", required=True)
    p.add_argument("--mode", default="healthy",
                   choices=["healthy", "close-after-first", "hang-after-first",
                            "drop-first-reply"])
    p.add_argument("--refuse-rcpt")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    args = p.parse_args()
    os.makedirs(args.maildir, exist_ok=True)
    state = State(args)
    handler = Handler(state)

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    kwargs = {"hostname": "smtp.test", "data_size_limit": 10 * 1024 * 1024}
    if args.auth:
        user, password = args.auth.split(":", 1)
        # With implicit TLS the whole session is encrypted already.
        kwargs.update(authenticator=authenticator(user, password), auth_required=True,
                      auth_require_tls=tls is not None and not args.implicit_tls)
    if tls is not None and not args.implicit_tls:
        kwargs.update(tls_context=tls, require_starttls=True)

    def factory():
        if state.closed and args.mode == "close-after-first":
            return Refuser()
        if state.closed and args.mode == "hang-after-first":
            return Silent()
        return SMTP(handler, **kwargs)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, "127.0.0.1", 0, ssl=tls if args.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    # Stop when the test closes our stdin (or dies).
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
