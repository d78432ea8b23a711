#!/usr/bin/env python3
"""A scriptable SMTP server for Quire's mail tests (needs PyPI `aiosmtpd`).

    smtp_server.py serve --maildir DIR [--auth USER:PASSWORD] [--mechanisms PLAIN,LOGIN]
                         [--fail-first N] [--reject-rcpt] [--tls-cert PEM --tls-key PEM]
                         [--require-starttls] [--implicit-tls] [--host 127.0.0.1] [--port 0]
        Listens (on a free port by default), prints "PORT <n>" on stdout, stores
        each accepted message in the Maildir DIR and appends one JSON line per
        event (auth, rcpt, data) to DIR/events.jsonl. Exits when stdin closes
        or after --lifetime seconds.
        --fail-first N   answer the first N DATA commands with 451 (temporary)
        --reject-rcpt    answer every RCPT TO with 550 (permanent)
        --rcpt-delay S   wait S seconds before answering each RCPT TO (slow, but
                         before any message exists)
        --tls-cert/key   offer STARTTLS (or, with --implicit-tls, speak TLS at once)

    smtp_server.py inspect DIR
        Prints a JSON list of the messages in Maildir DIR, oldest first: headers
        raw and decoded, MIME structure, decoded text parts, longest line, defects.
"""
import argparse
import asyncio
import email
import email.policy
import json
import mailbox
import os
import ssl
import sys
import threading
import time


def uses_tls(server, session):
    """Whether this session runs over TLS (after STARTTLS or from the start)."""
    transport = getattr(server, "transport", None)
    return session.ssl is not None or (
        transport is not None and transport.get_extra_info("ssl_object") is not None)


def log_event(path, **fields):
    fields["time"] = time.time()
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(fields) + "\n")


class Handler:
    def __init__(self, maildir, events, fail_first, reject_rcpt, rcpt_delay=0.0):
        self.maildir = mailbox.Maildir(maildir, create=True)
        self.events = events
        self.fail_left = fail_first
        self.reject_rcpt = reject_rcpt
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            # Slow before the message exists: a client killed now has sent nothing.
            await asyncio.sleep(self.rcpt_delay)
        if self.reject_rcpt:
            log_event(self.events, event="rcpt", address=address, code=550)
            return "550 5.1.1 Mailbox unavailable (rejected by test server)"
        envelope.rcpt_tos.append(address)
        log_event(self.events, event="rcpt", address=address, code=250)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            log_event(self.events, event="data", code=451)
            return "451 4.3.0 Temporary failure (test server), try again later"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        content = content.replace(b"\r\n", b"\n")  # Maildir files use local line endings
        key = self.maildir.add(content)
        log_event(self.events, event="data", code=250, key=key, mail_from=envelope.mail_from,
                  rcpt_tos=envelope.rcpt_tos, tls=uses_tls(server, session),
                  authenticated=bool(getattr(session, "authenticated", False)))
        return "250 2.0.0 Message accepted for delivery"


class Authenticator:
    def __init__(self, user, password, events):
        self.user = user.encode()
        self.password = password.encode()
        self.events = events

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user and auth_data.password == self.password)
        log_event(self.events, event="auth", mechanism=mechanism, success=ok,
                  tls=uses_tls(server, session))
        # handled=False: aiosmtpd itself answers 535 on failure.
        return AuthResult(success=ok, handled=False)


def serve(args):
    from aiosmtpd.smtp import SMTP

    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)
    events = os.path.join(args.maildir, "events.jsonl")
    handler = Handler(args.maildir, events, args.fail_first, args.reject_rcpt, args.rcpt_delay)

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    kwargs = dict(hostname="quire-test.localhost", timeout=30)
    if context is not None and not args.implicit_tls:
        kwargs.update(tls_context=context, require_starttls=args.require_starttls)
    if args.auth:
        user, _, password = args.auth.partition(":")
        kwargs.update(authenticator=Authenticator(user, password, events), auth_required=True,
                      auth_require_tls=context is not None and not args.implicit_tls)
        mechanisms = {m.strip().upper() for m in args.mechanisms.split(",") if m.strip()}
        kwargs["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in mechanisms]

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, loop=loop, **kwargs), host=args.host, port=args.port,
        ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)

    def wait_for_stdin_eof():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    loop.call_later(args.lifetime, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()


def inspect(args):
    box = mailbox.Maildir(args.maildir, create=False)
    files = []
    for sub in ("new", "cur"):
        folder = os.path.join(args.maildir, sub)
        if os.path.isdir(folder):
            files += [os.path.join(folder, name) for name in os.listdir(folder)]
    files.sort(key=lambda p: (os.path.getmtime(p), p))
    out = []
    for path in files:
        with open(path, "rb") as f:
            raw = f.read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        raw_msg = email.message_from_bytes(raw, policy=email.policy.compat32)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts.append(dict(
                content_type=part.get_content_type(),
                charset=part.get_content_charset(),
                transfer_encoding=part.get("Content-Transfer-Encoding"),
                body=part.get_content(),
            ))
        lines = raw.split(b"\n")
        out.append(dict(
            file=path,
            headers={k: [str(v) for v in msg.get_all(k)] for k in dict.fromkeys(msg.keys())},
            raw_headers={k: raw_msg.get_all(k) for k in dict.fromkeys(raw_msg.keys())},
            content_type=msg.get_content_type(),
            parts=parts,
            max_line_length=max(len(l.rstrip(b"\r")) for l in lines),
            all_ascii=all(b < 0x80 for b in raw),
            defects=[repr(d) for part in msg.walk() for d in part.defects],
        ))
    json.dump(out, sys.stdout, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--maildir", required=True)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--auth", help="USER:PASSWORD to require")
    s.add_argument("--mechanisms", default="PLAIN,LOGIN", help="AUTH mechanisms to offer")
    s.add_argument("--fail-first", type=int, default=0)
    s.add_argument("--reject-rcpt", action="store_true")
    s.add_argument("--rcpt-delay", type=float, default=0.0, help="seconds to wait before answering each RCPT TO")
    s.add_argument("--tls-cert")
    s.add_argument("--tls-key")
    s.add_argument("--require-starttls", action="store_true")
    s.add_argument("--implicit-tls", action="store_true")
    s.add_argument("--lifetime", type=float, default=300)
    i = sub.add_parser("inspect")
    i.add_argument("maildir")
    args = parser.parse_args()
    serve(args) if args.command == "serve" else inspect(args)


if __name__ == "__main__":
    main()
