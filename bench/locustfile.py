"""The users of bench/load.py, driven by locust against `make serve`: members who open their
sổ tay and hand in an essay file, officers who open dashboards and campaign pages and build
reports, and (the December peak) members who save their self-assessment. Each virtual user
takes its own account from the plan bench/load.py wrote (LOAD_PLAN), logs in as a browser
does, and stops after its work; nothing here talks to the database."""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
_members = itertools.count()
_officers = itertools.count()
_peak = itertools.count()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token(text: str) -> str:
    found = TOKEN.search(text)
    return found.group(1) if found else ""


class Browser(HttpUser):
    abstract = True

    def log_in(self, username: str, password: str) -> None:
        page = self.client.get("/login/", name="login page")
        with self.client.post("/login/", name="log in", allow_redirects=False, catch_response=True, data={
                "csrfmiddlewaretoken": _token(page.text), "username": username, "password": password}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login refused for {username}: {answer.status_code}")
                raise StopUser()

    def page(self, path: str, name: str):
        return self.client.get(path, name=name)


class Member(Browser):
    """Opens the sổ tay, hands in one essay file, then comes back to the sổ tay now and then."""

    weight = PLAN["weights"]["member"]
    wait_time = between(2, 8)

    def on_start(self):
        n = next(_members)
        if n >= len(PLAN["members"]):
            raise StopUser()
        self.account = PLAN["members"][n]
        self.log_in(self.account["username"], self.account["password"])
        self.submitted = False

    @task(3)
    def notebook(self):
        self.page("/so-tay/", "sổ tay")

    @task(1)
    def submit_essay(self):
        if self.submitted:
            return
        path = f"/so-tay/campaigns/{PLAN['campaign']}/essay/"
        form = self.page(path, "essay page")
        file_path = Path(self.account["file"])
        with self.client.post(path, name="essay submission", allow_redirects=False, catch_response=True,
                              data={"csrfmiddlewaretoken": _token(form.text), "text": ""},
                              files={"file": (file_path.name, file_path.read_bytes())}) as answer:
            if answer.status_code == 302:
                self.submitted = True  # acknowledged: bench/load.py finds it stored exactly once
            else:
                answer.failure(f"essay not stored ({answer.status_code}): {self.account['file']}")
                self.submitted = True  # told, as a member would be; counted as an error


class Officer(Browser):
    """A committee officer: dashboards, campaign pages, now and then a report built by the worker."""

    weight = PLAN["weights"]["officer"]
    wait_time = between(3, 10)

    def on_start(self):
        n = next(_officers)
        if n >= len(PLAN["officers"]):
            raise StopUser()
        self.account = PLAN["officers"][n]
        self.log_in(self.account["username"], self.account["password"])

    @task(4)
    def dashboard(self):
        self.page(f"/units/{random.choice(PLAN['units'])}/figures/", "dashboard")

    @task(3)
    def campaign(self):
        self.page(f"/campaigns/{PLAN['campaign']}/", "campaign page")

    @task(1)
    def build_report(self):
        unit = random.choice(PLAN["units"])
        form = self.page(f"/units/{unit}/reports/", "reports page")
        template = re.search(r'name="template"[^>]*>\s*<option value="(\d+)"', form.text)
        if not template:
            return
        self.client.post(f"/units/{unit}/reports/", name="build a report", data={
            "csrfmiddlewaretoken": _token(form.text), "form": "report", "year": PLAN["year"],
            "template": template.group(1)})


class PeakMember(Browser):
    """December: opens the self-assessment, saves it once, submits it, and leaves."""

    weight = PLAN["weights"]["peak"]
    wait_time = between(1, 3)

    def on_start(self):
        n = next(_peak)
        if n >= len(PLAN["peak"]):
            raise StopUser()
        self.account = PLAN["peak"][n]
        self.log_in(self.account["username"], self.account["password"])

    @task
    def self_assessment(self):
        self.page("/so-tay/", "sổ tay")
        self.page("/account/evaluation/", "my evaluation")
        path = f"/evaluation/ratings/{self.account['rating']}/"
        form = self.page(path, "self-assessment page")
        with self.client.post(path, name="self-assessment saved", allow_redirects=False, catch_response=True, data={
                "csrfmiddlewaretoken": _token(form.text), "form": "assess", "general_points": "26",
                "task_points": "58", "task_title_1": "Hoàn thành nhiệm vụ chuyên môn", "task_result_1": "on_time",
                "strengths": "Gương mẫu, có trách nhiệm.", "weaknesses": "", "remedies": "",
                "remedied": "unknown", "direction": "Tiếp tục rèn luyện.", "submit": "1"}) as answer:
            if answer.status_code != 302:
                answer.failure(f"self-assessment not saved ({answer.status_code})")
        raise StopUser()
