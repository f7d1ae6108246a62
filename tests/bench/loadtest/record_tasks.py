"""Run every task of every locust user class once against a recording client and print
the requests as JSON lines. A script, run in its own process by the tests: importing
locust patches the standard library with gevent, which the test process must not get.

Usage: python record_tasks.py PLAN_FILE
"""

import json
import os
import sys

from locust.env import Environment

from bench.loadtest import locustfile
from bench.loadtest.endpoints import PHASES, PLAN_ENV

CHECKLIST = {
    "results": [
        {"item": {"code": "1.1.1"}, "version": 3, "grade": "B", "auto_not_applicable": False},
        {"item": {"code": "1.1.2"}, "version": 1, "grade": "NA", "auto_not_applicable": False},
        {"item": {"code": "1.1.3"}, "version": 1, "grade": "", "auto_not_applicable": True},
    ]
}


class Response:
    status_code = 200

    def __init__(self, body):
        self.body = body
        self.request_meta = {}

    def json(self):
        return self.body

    def success(self):
        pass

    def failure(self, message):
        raise AssertionError(message)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class Recorder:
    def __init__(self):
        self.requests = []

    def request(self, method, url, *, name, headers=None, json=None, catch_response=False):
        self.requests.append(
            {"method": method, "url": url, "name": name, "headers": headers, "json": json}
        )
        if url.split("?")[0].endswith("/items/"):
            return Response(CHECKLIST)
        if method == "PATCH":
            return Response({"version": json["version"] + 1, "grade": json["grade"]})
        return Response({})

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.request("PATCH", url, **kwargs)


def main() -> None:
    os.environ[PLAN_ENV] = sys.argv[1]
    names = sorted({name for phase in PHASES for name in phase.user_classes})
    classes = [getattr(locustfile, name) for name in names]
    environment = Environment(user_classes=classes)
    for cls in classes:
        cls.host = "http://127.0.0.1:9"  # never contacted: the client is replaced
        user = cls(environment)
        user.client = Recorder()
        user.on_start()
        for task in dict.fromkeys(user.tasks):  # each task once, in declaration order
            task(user)
        for request in user.client.requests:
            print(json.dumps({"user": cls.__name__, **request}))


if __name__ == "__main__":
    main()
