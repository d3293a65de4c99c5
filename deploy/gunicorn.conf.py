"""gunicorn for `make serve`: pre-forked processes, each with a few threads (pages wait on
PostgreSQL far more than they compute), restarted after a number of requests so that no
process grows for months. Every value can be set from the environment."""

import multiprocessing
import os

bind = f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"
workers = int(os.getenv("WEB_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.getenv("WEB_THREADS", "4"))
timeout = int(os.getenv("WEB_TIMEOUT", "60"))  # long work runs as jobs; a page never needs more
graceful_timeout = 30
keepalive = 30  # a browser's next click reuses its connection (a proxy in front keeps its own)
max_requests = int(os.getenv("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
limit_request_line = 8190
accesslog = None  # dangvu writes its own line per request (dangvu/ops/requestlog.py), without personal data
errorlog = "-"
loglevel = os.getenv("WEB_LOG_LEVEL", "warning")
proc_name = "dangvu-web"
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
