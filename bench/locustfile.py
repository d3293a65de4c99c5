"""The users of bench/load.py, driven by locust against `make serve`: members who open their
sổ tay and hand in an essay file, officers who open dashboards and campaign pages and build
reports, and (the December peak) members who save their self-assessment. Each virtual user
takes its own account from the plan bench/load.py wrote (LOAD_PLAN), logs in as a browser
does, and idles after its work; nothing here talks to the database."""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
_members = itertools.count()
_officers = itertools.count()
_peak = itertools.count()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _token(text: str) -> str:
    found = TOKEN.search(text)
    return found.group(1) if found else ""


class Browser(HttpUser):
    """A user whose account is one of the plan's; once done (or with no account left) it stays
    idle instead of stopping, so that locust does not start another in its place."""

    abstract = True
    done = False
    pace = (1, 3)  # seconds between two pages

    def wait_time(self):
        return 3600 if self.done else random.uniform(*self.pace)

    def take(self, accounts: list, counter) -> bool:
        n = next(counter)
        if n >= len(accounts):
            self.done = True
            return False
        self.account = accounts[n]
        self.log_in(self.account["username"], self.account["password"])
        return not self.done

    def log_in(self, username: str, password: str) -> None:
        page = self.client.get("/login/", name="login page")
        with self.client.post("/login/", name="log in", allow_redirects=False, catch_response=True, data={
                "csrfmiddlewaretoken": _token(page.text), "username": username, "password": password}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login refused for {username}: {answer.status_code}")
                self.done = True

    def page(self, path: str, name: str):
        return self.client.get(path, name=name)


class Member(Browser):
    """Opens the sổ tay, hands in one essay file, then comes back to the sổ tay now and then
    (reading a page takes a member 10 to 30 seconds)."""

    weight = PLAN["weights"]["member"]
    pace = (10, 30)
    submitted = False

    def on_start(self):
        self.take(PLAN["members"], _members)

    @task(3)
    def notebook(self):
        if self.done:
            return
        self.page("/so-tay/", "sổ tay")

    @task(1)
    def submit_essay(self):
        if self.submitted or self.done:
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
    """A committee officer: dashboards and campaign pages, one every 5 to 15 seconds, and one
    report built (by the worker) in the session."""

    weight = PLAN["weights"]["officer"]
    pace = (5, 15)
    built = False

    def on_start(self):
        self.take(PLAN["officers"], _officers)

    @task(4)
    def dashboard(self):
        if self.done:
            return
        self.page(f"/units/{random.choice(PLAN['units'])}/figures/", "dashboard")

    @task(3)
    def campaign(self):
        if self.done:
            return
        self.page(f"/campaigns/{PLAN['campaign']}/", "campaign page")

    @task(1)
    def build_report(self):
        if self.built or self.done:
            return self.dashboard()
        self.built = True
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

    def on_start(self):
        self.take(PLAN["peak"], _peak)

    @task
    def self_assessment(self):
        if self.done:
            return
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
        self.done = True  # and leaves
