#!/usr/bin/env python3
"""tests/smtp_server.py: a small real SMTP server for tests and `make run`.

    python3 tests/smtp_server.py --port 2525 --dir var/mail

Speaks enough of RFC 5321 for libcurl and any plain client (EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) on 127.0.0.1,
without TLS or AUTH, and stores each message it accepts as one file
DIR/<time>-<n>.eml: the raw message, preceded by an "X-Envelope-From"
and one "X-Envelope-To" line per recipient, and beside it
DIR/<time>-<n>.txt, the same message decoded for people (headers,
then the text with its quoted-printable undone, so links are whole).
A file appears whole (it is written under another name, then renamed),
so a reader polling the folder never sees half a message. It delivers
nothing anywhere.

Stalls, for tests of what a client does when a server stops answering
(tests/http/test_mail-outage.py): while the file DIR/.stall holds the
word "rcpt", a session waits before answering RCPT; while it holds
"dot", a session waits before answering the final dot of DATA, after
storing the message, as a real server commits a message before its 250
(so a client that dies then never learns its message went: RFC 1047).
A stalled session prints "stalling at POINT" once, goes on when the
file is removed or changed, and ends when its client goes away meanwhile
("client gone while stalled at POINT"). Every stored message is
printed with its Message-ID.

Python 3.11 standard library only (smtpd is gone in 3.12).
"""
import argparse
import asyncio
import email
import email.policy
import itertools
import os
import re
import sys
import time

MAX_MESSAGE = 10 * 1024 * 1024
ADDR = re.compile(rb'^\s*(?:FROM|TO):\s*<([^<>\s]*)>', re.I)


class Session:
    def __init__(self, server, reader, writer):
        self.server = server
        self.r = reader
        self.w = writer
        self.reset()

    def reset(self):
        self.sender = None
        self.rcpts = []

    async def stall(self, point):
        """Waits while DIR/.stall names point; False when the client went
        away meanwhile (the session then ends without a reply)."""
        path = os.path.join(self.server.dir, '.stall')
        announced = False
        while True:
            try:
                with open(path) as f:
                    want = f.read().strip()
            except FileNotFoundError:
                return True
            if want != point:
                return True
            if not announced:
                print(f'stalling at {point}', flush=True)
                announced = True
            if self.r.at_eof():
                print(f'client gone while stalled at {point}', flush=True)
                return False
            # Polls a file a test removes; not a wait for a fixed time.
            await asyncio.sleep(0.02)

    async def reply(self, text):
        self.w.write(text.encode() + b'\r\n')
        await self.w.drain()

    async def data(self):
        await self.reply('354 end data with <CR><LF>.<CR><LF>')
        lines, size = [], 0
        while True:
            line = await self.r.readline()
            if not line:
                return None
            if line in (b'.\r\n', b'.\n'):
                break
            if line.startswith(b'.'):
                line = line[1:]
            size += len(line)
            if size <= MAX_MESSAGE:
                lines.append(line)
        if size > MAX_MESSAGE:
            return '552 message too big'
        head = f'X-Envelope-From: <{self.sender}>\r\n' + ''.join(
            f'X-Envelope-To: <{r}>\r\n' for r in self.rcpts)
        name = self.server.store(head.encode() + b''.join(lines))
        if not await self.stall('dot'):
            print(f'{name}.eml was stored, its 250 never sent', flush=True)
            return None
        return '250 ok: queued'

    async def run(self):
        await self.reply('220 souk-test-smtp ESMTP ready')
        while True:
            line = await self.r.readline()
            if not line:
                return
            verb = line[:4].upper()
            arg = line[4:].strip()
            if verb == b'EHLO':
                await self.reply('250-souk-test-smtp\r\n250-8BITMIME\r\n'
                                 f'250 SIZE {MAX_MESSAGE}')
            elif verb == b'HELO':
                await self.reply('250 souk-test-smtp')
            elif verb == b'MAIL':
                m = ADDR.match(arg)
                if not m:
                    await self.reply('501 syntax: MAIL FROM:<address>')
                    continue
                self.reset()
                self.sender = m.group(1).decode('ascii', 'replace')
                await self.reply('250 ok')
            elif verb == b'RCPT':
                m = ADDR.match(arg)
                if self.sender is None:
                    await self.reply('503 MAIL first')
                elif not m or not m.group(1):
                    await self.reply('501 syntax: RCPT TO:<address>')
                else:
                    if not await self.stall('rcpt'):
                        return
                    self.rcpts.append(m.group(1).decode('ascii', 'replace'))
                    await self.reply('250 ok')
            elif verb == b'DATA':
                if not self.rcpts:
                    await self.reply('503 RCPT first')
                    continue
                res = await self.data()
                if res is None:
                    return
                self.reset()
                await self.reply(res)
            elif verb == b'RSET':
                self.reset()
                await self.reply('250 ok')
            elif verb == b'NOOP':
                await self.reply('250 ok')
            elif verb == b'QUIT':
                await self.reply('221 bye')
                return
            else:
                await self.reply('502 command not implemented')


class Server:
    def __init__(self, folder):
        self.dir = folder
        self.n = itertools.count(1)
        os.makedirs(folder, exist_ok=True)

    def _write(self, name, data):
        tmp = os.path.join(self.dir, f'.{name}.tmp')
        with open(tmp, 'wb') as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.dir, name))

    def store(self, data):
        name = f'{time.time():.6f}-{os.getpid()}-{next(self.n)}'
        msgid = None
        try:
            msg = email.message_from_bytes(data, policy=email.policy.default)
            msgid = msg['Message-ID']
            text = ''.join(f'{k}: {msg[k]}\n' for k in
                           ('Date', 'From', 'To', 'Subject', 'Message-ID')
                           if msg[k])
            part = msg.get_body(('plain',))
            text += '\n' + (part.get_content() if part else '')
            self._write(name + '.txt', text.encode())
        except Exception as e:  # a stand-in keeps what it cannot read
            print(f'cannot decode {name}: {e}', flush=True)
        self._write(name + '.eml', data)
        print(f'stored {name}.eml ({len(data)} bytes) {msgid}', flush=True)
        return name

    async def handle(self, reader, writer):
        try:
            await Session(self, reader, writer).run()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def main(args):
    srv = Server(args.dir)
    server = await asyncio.start_server(srv.handle, '127.0.0.1', args.port,
                                        limit=MAX_MESSAGE)
    port = server.sockets[0].getsockname()[1]
    print(f'listening on 127.0.0.1:{port}, mail in {args.dir}', flush=True)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--port', type=int, default=2525)
    ap.add_argument('--dir', required=True, help='where messages go')
    try:
        asyncio.run(main(ap.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
