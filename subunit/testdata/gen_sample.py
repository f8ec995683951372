#!/usr/bin/python3
"""Writes sample.subunit, the repo-local v2 sample stream, with python-subunit's
own encoder (Debian: python3-subunit). Run from this folder to regenerate it."""
import datetime, io, sys
from subunit import v2

UTC = datetime.timezone.utc
out = io.BytesIO()
w = v2.StreamResultToBytes(out)
t = datetime.datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)

def tick():
    global t
    t += datetime.timedelta(microseconds=123457)
    return t

outcomes = ["success", "success", "fail", "skip", "success", "xfail", "uxsuccess", "success"]
for i in range(24):
    worker = i % 3
    tid = "tempest.api.compute.test_servers.ServersTest.test_%02d[id-%08d-0000-4000-8000-%012d,smoke]" % (i, i, i)
    route = str(worker) if i % 4 == 0 else None
    w.status(test_id=tid, test_status="inprogress", timestamp=tick(), route_code=route)
    status = outcomes[i % len(outcomes)]
    if status == "fail":
        tb = ("Traceback (most recent call last):\n  File \"x.py\", line %d\nAssertionError: %d != 42\n" % (i, i)).encode()
        w.status(test_id=tid, file_name="traceback", file_bytes=tb[:20], mime_type="text/x-traceback;charset=utf8,language=python", timestamp=tick(), route_code=route)
        w.status(test_id=tid, file_name="traceback", file_bytes=tb[20:], eof=True, mime_type="text/x-traceback;charset=utf8,language=python", timestamp=tick(), route_code=route)
    if status == "skip":
        w.status(test_id=tid, file_name="reason", file_bytes=b"not configured", eof=True, mime_type="text/plain;charset=utf8", timestamp=tick(), route_code=route)
    w.status(test_id=tid, file_name="pythonlogging:''", file_bytes=("log line %d \u00e9\n" % i).encode(), eof=True, mime_type='text/plain;charset="utf8"', timestamp=tick(), route_code=route)
    w.status(test_id=tid, test_status=status, test_tags={"worker-%d" % worker}, timestamp=tick(), route_code=route)
    if i == 10:
        out.write("some chatter on stdout \u00f3 \u00b3\n".encode())
w.status(test_id="process-returncode", test_status="fail", file_name="traceback", file_bytes=b"returncode 1", eof=True, mime_type="text/plain;charset=utf8", test_tags={"worker-1"})
w.status(test_id="tempest.api.identity.test_tokens.TokensTest.test_enumerated", test_status="exists")
sys.stdout.buffer.write(out.getvalue())
