"""Run refstack-client's own CPID code on tasks from the Go tests.

Reads a JSON list of tasks on stdin and writes a JSON list of answers, one per
task: the value refstack-client computes, or {"error": "..."} when it raises
or exits. Used by python_test.go; needs the Debian package refstack-client.
"""
import configparser
import json
import logging
import os
import sys

from refstack_client import refstack_client as rc

logging.disable(logging.CRITICAL)


def client(conf=None):
    c = rc.RefstackClient.__new__(rc.RefstackClient)
    c.logger = logging.getLogger("check")
    c.args = type("Args", (), {"insecure": False})()
    c.conf = conf
    return c


def run(task):
    kind = task["kind"]
    if kind == "hash":
        return client()._generate_cpid_from_endpoint(task["url"])
    if kind == "keystone":
        config = {
            "auth_version": task["version"], "auth_url": task["url"],
            "username": "tempest-user", "password": "secret",
            "tenant_id": None, "tenant_name": "tempest-project",
            "domain_name": "Default",
        }
        c = client()
        version, url, content = c._generate_keystone_data(config)
        return c._get_cpid_from_keystone(version, url, content)
    if kind == "conf":
        conf = configparser.ConfigParser()
        conf.read(task["path"])
        cwd = os.getcwd()
        os.chdir(os.path.dirname(task["path"]))
        try:
            return client(conf)._get_keystone_config(conf)
        finally:
            os.chdir(cwd)
    raise ValueError("unknown task " + kind)


answers = []
for task in json.load(sys.stdin):
    try:
        answers.append(run(task))
    except BaseException as e:  # exit(1) raises SystemExit
        answers.append({"error": "%s: %s" % (type(e).__name__, e)})
json.dump(answers, sys.stdout)
