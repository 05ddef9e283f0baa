#!/usr/bin/python3
"""A real SMTP server for Coop's tests (Debian python3-aiosmtpd).

Accepts every mail on 127.0.0.1:PORT and writes each received message, as received (RFC 5322,
CRLF lines), to DIR, one file each (NNNNNN.eml, written then renamed: a reader never sees half a
file). Prints "pret PORT" on stdout once it listens; stops on SIGTERM/SIGINT. With --user and
--password, SMTP AUTH (PLAIN/LOGIN, over clear text: a test server) is required and checked. With
--cert and --key (PEM), --tls starttls offers STARTTLS and requires it before MAIL; --tls
implicite speaks TLS from the first byte (smtps, port 465 in real life).

    python3 tests/smtp/serveur.py --port 2525 --dir /tmp/boite [--user U --password P]
                                  [--tls starttls|implicite --cert C --key K]
"""
import argparse
import asyncio
import itertools
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Boite:
    def __init__(self, dossier):
        self.dossier = dossier
        existants = [int(n[:6]) for n in os.listdir(dossier) if n.endswith(".eml") and n[:6].isdigit()]
        self.compteur = itertools.count(max(existants, default=0) + 1)

    async def handle_DATA(self, server, session, envelope):
        n = next(self.compteur)
        tmp = os.path.join(self.dossier, f".{n:06d}.tmp")
        with open(tmp, "wb") as f:
            f.write(f"X-Enveloppe-De: {envelope.mail_from}\r\n".encode())
            f.write(f"X-Enveloppe-A: {','.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(self.dossier, f"{n:06d}.eml"))
        return "250 Message accepted for delivery"


class Verificateur:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--tls", choices=["starttls", "implicite"])
    p.add_argument("--cert")
    p.add_argument("--key")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    auth = {}
    if a.user:
        auth = dict(auth_required=True, auth_require_tls=False, authenticator=Verificateur(a.user, a.password or ""))
    tls = {}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
        tls = dict(tls_context=ctx, require_starttls=True) if a.tls == "starttls" else dict(ssl_context=ctx)
    controller = Controller(Boite(a.dir), hostname="127.0.0.1", port=a.port, decode_data=False, **auth, **tls)
    controller.start()
    print(f"pret {a.port}", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
