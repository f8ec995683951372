#!/usr/bin/python3
"""Write a Tempest-shaped subunit v2 stream with python-subunit.

Usage: /usr/bin/python3 bench/gen_python.py TESTS WORKERS SEED > stream.subunit

The same shape as examples/subunit-gen (inprogress, attachments, final status
tagged worker-N, WORKERS tests interleaved; about 3% fail with a traceback, 7%
skip with a reason), written by python-subunit's own StreamResultToBytes, so
that bench/run.sh can check refstack on a stream it did not write itself.
"""

import datetime
import random
import sys

from subunit import StreamResultToBytes

AREAS = [("compute.servers", "ServersTest"), ("network.ports", "PortsTest"),
         ("volume.snapshots", "SnapshotsTest"), ("identity.v3.users", "UsersTest")]


def main():
    tests, workers, seed = (int(a) for a in sys.argv[1:4])
    rng = random.Random(seed)
    out = StreamResultToBytes(sys.stdout.buffer)
    clock = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    slots = [None] * workers
    started = 0

    def new_test(worker):
        nonlocal started
        n = started
        started += 1
        area, cls = AREAS[rng.randrange(len(AREAS))]
        attrs = "id-%032x" % rng.getrandbits(128) + (",smoke" if n % 5 == 0 else "")
        test_id = "tempest.api.%s.test_%d.%s.test_case_%d[%s]" % (area, n % 97, cls, n, attrs)
        steps = [("status", "inprogress", None)]
        if n % 10 == 3:
            steps.append(("file", "pythonlogging:''", b"DEBUG request 200\n" * 3))
        r = rng.randrange(100)
        final = "success"
        if r < 3:
            final = "fail"
            steps.append(("file", "traceback", b"Traceback (most recent call last):\nAssertionError: 200 != 404\n"))
        elif r < 10:
            final = "skip"
            steps.append(("file", "reason", b"Feature not enabled in this cloud"))
        steps.append(("status", final, {"worker-%d" % worker}))
        return [test_id, steps]

    while True:
        for i in range(workers):
            if slots[i] is None and started < tests:
                slots[i] = new_test(i)
        busy = [i for i in range(workers) if slots[i] is not None]
        if not busy:
            break
        i = rng.choice(busy)
        test_id, steps = slots[i]
        kind, a, b = steps.pop(0)
        clock += datetime.timedelta(microseconds=rng.randrange(5000))
        if kind == "status":
            out.status(test_id=test_id, test_status=a, test_tags=b, timestamp=clock)
        else:
            out.status(test_id=test_id, file_name=a, file_bytes=b, eof=True,
                       mime_type="text/plain;charset=utf8", timestamp=clock)
        if not steps:
            slots[i] = None


if __name__ == "__main__":
    main()
