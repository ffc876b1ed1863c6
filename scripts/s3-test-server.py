"""S3-compatible test server: moto, with S3's atomic conditional PUT.

moto checks `If-None-Match: *` and then stores the object in two steps, and its server is
threaded, so two concurrent conditional PUTs of one key can both succeed. Real S3 lets exactly one
win, and Delta commits rely on that; this wrapper makes object PUTs mutually exclusive so the test
server keeps the same guarantee.
"""
import sys
import threading

from moto.s3.responses import S3Response
from moto.server import main

_put_lock = threading.Lock()
_put_object = S3Response.put_object


def _atomic_put_object(self, *args, **kwargs):
    with _put_lock:
        return _put_object(self, *args, **kwargs)


S3Response.put_object = _atomic_put_object

if __name__ == "__main__":
    main(sys.argv[1:])
