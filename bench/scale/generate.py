"""Fills a Junction journal fast through its real API: several processes, each with a few
keep-alive connections, post signed `api` webhooks (unique ids, signed on the fly) pipelined in
batches. Used by bench/scale/run with `journal.fsync: none` so the journal, not the disk,
limits the rate; every record is a real gateway event (message.received, contact and
conversation creation, routing …) exactly as production writes them."""
import base64, hashlib, hmac, json, multiprocessing, os, re, socket, time

import benchkit

STATUS = re.compile(rb"HTTP/1\.1 (\d{3}) ")


def sender(port, channel, worker, number, users, user_offset, stop, sent, failed, batch=32, connections=2):
    key = base64.b64decode(benchkit.secret(channel)[len("whsec_"):])
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(connections)]
    index = 0
    timestamp = str(int(time.time()))
    while not stop.is_set():
        for sock in socks:
            payload = []
            for _ in range(batch):
                message_id = f"g{worker}-{index}"
                user = f"user-{user_offset + (index * 7919 + number * 104729) % users}"
                index += 1
                body = json.dumps({"id": message_id, "from": {"id": user}, "text": benchkit.TEXT},
                                  ensure_ascii=False).encode()
                webhook_id = "wh_" + message_id
                signature = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body,
                                                      hashlib.sha256).digest()).decode()
                payload.append((f"POST /v1/inbound/{channel} HTTP/1.1\r\nHost: x\r\n"
                                f"webhook-id: {webhook_id}\r\nwebhook-timestamp: {timestamp}\r\n"
                                f"webhook-signature: v1,{signature}\r\nContent-Length: {len(body)}\r\n\r\n"
                                ).encode() + body)
            sock.sendall(b"".join(payload))
            received, answers = b"", 0
            while answers < batch:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    raise SystemExit("junction closed the connection")
                received += chunk
                answers = len(STATUS.findall(received))
            statuses = STATUS.findall(received)
            bad = sum(1 for s in statuses if s != b"200")
            with sent.get_lock():
                sent.value += batch - bad
            if bad:
                with failed.get_lock():
                    failed.value += bad


def last_sequence(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    sock.close()
    match = re.search(rb"^junction_journal_last_sequence (\d+)", data, re.M)
    return int(match.group(1)) if match else 0


def fill(port, channel, target_events, users, user_offset=0, processes=3, run="g", log=print,
         target_messages=None):
    """Posts until the journal holds `target_events` records (or `target_messages` were
    acknowledged); returns (messages, seconds)."""
    stop = multiprocessing.Event()
    sent = multiprocessing.Value("q", 0)
    failed = multiprocessing.Value("q", 0)
    workers = [multiprocessing.Process(target=sender, args=(port, channel, f"{run}{n}", n, users, user_offset,
                                                            stop, sent, failed), daemon=True)
               for n in range(processes)]
    started = time.time()
    for worker in workers:
        worker.start()
    last_report = started
    while True:
        time.sleep(0.2)
        events = last_sequence(port)
        if failed.value:
            stop.set()
            raise SystemExit(f"{failed.value} webhooks were refused while filling the journal")
        if time.time() - last_report > 10:
            last_report = time.time()
            log(f"  {events:,} events, {sent.value:,} messages, "
                f"{events / (time.time() - started):,.0f} events/s")
        if (target_events and events >= target_events) or \
                (target_messages and sent.value >= target_messages):
            break
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
    return sent.value, time.time() - started
