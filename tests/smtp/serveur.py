#!/usr/bin/python3
"""A real SMTP server for Coop's tests (Debian python3-aiosmtpd).

Accepts every mail on 127.0.0.1:PORT and writes each received message, as received (RFC 5322,
CRLF lines), to DIR, one file each (NNNNNN.eml, written then renamed: a reader never sees half a
file). Prints "pret PORT" on stdout once it listens; stops on SIGTERM/SIGINT.

    python3 tests/smtp/serveur.py --port 2525 --dir /tmp/boite
"""
import argparse
import asyncio
import itertools
import os
import signal

from aiosmtpd.controller import Controller


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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    controller = Controller(Boite(a.dir), hostname="127.0.0.1", port=a.port, decode_data=False)
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
