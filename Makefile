# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run serve serve-stop test lint bench bench-essays messages clean fonts

$(BIN)/python:
	@PY=$$(scripts/find-python.sh) && echo "Tạo $(VENV) bằng $$PY" && $$PY -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)

messages: $(STAMP)
	$(BIN)/dangvu compilemessages -v0 --ignore=.venv --ignore=var --ignore=node_modules

# The report's PDF is set in Times New Roman: without it or its metric twin Liberation Serif,
# LibreOffice falls back on a wider font and the header wraps. Installed when the machine lets us.
fonts:
	@fc-list 2>/dev/null | grep -qi -e "Liberation Serif" -e "Times New Roman" || \
	  { ( (apt-get update -q && apt-get install -y -q fonts-liberation) || \
	      (sudo -n apt-get update -q && sudo -n apt-get install -y -q fonts-liberation) ) >/dev/null 2>&1 \
	    && echo "Installed fonts-liberation (Times New Roman's metric twin) for the report's PDF." \
	    || echo "Note: install fonts-liberation (or Times New Roman) so that the report's PDF is set as in Word."; }

run: $(STAMP) messages fonts
	$(BIN)/dangvu migrate -v0
	$(BIN)/dangvu demo --if-empty
	$(BIN)/dangvu collectstatic --noinput -v0
	@$(BIN)/dangvu login_info
	@trap 'kill 0' EXIT; $(BIN)/dangvu db_worker --interval 1 >var/worker.log 2>&1 & \
	  $(BIN)/dangvu runserver --insecure --noreload 127.0.0.1:8000

# The production set-up on this machine (PostgreSQL, Redis, gunicorn, task workers under
# supervisord): scripts/serve.sh says what it does; PORT=... chooses the port.
serve: $(STAMP) messages fonts
	@scripts/serve.sh

serve-stop:
	@scripts/serve.sh stop

lint: $(STAMP)
	$(BIN)/ruff check dangvu tests bench scripts conftest.py

test: $(STAMP) messages
	$(BIN)/ruff check dangvu tests bench scripts conftest.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/dangvu check --fail-level WARNING
	$(BIN)/dangvu makemigrations --check --dry-run
	$(BIN)/python -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest ran no test: failing"; exit 1; fi; exit $$rc

bench: $(STAMP) bench-essays
	$(BIN)/python bench/rollup.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/rollup.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/measures.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/measures.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/figure_store.py --members $${BENCH_MEMBERS:-300000} --minutes 0
	DB=postgres $(BIN)/python bench/figure_store.py --members $${BENCH_MEMBERS:-300000} --minutes $${BENCH_LOAD_MINUTES:-10}
	$(BIN)/python bench/evaluation.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/evaluation.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/meetings.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/meetings.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/attainment.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/attainment.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/report.py --members $${BENCH_MEMBERS:-300000}
	DB=postgres $(BIN)/python bench/report.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/password_hash.py --crowd 220
	DB=postgres $(BIN)/python bench/reminders.py --members $${BENCH_MEMBERS:-300000}
	$(BIN)/python bench/load.py --members $${BENCH_MEMBERS:-300000} --minutes $${BENCH_LOAD_MINUTES:-10}
	$(BIN)/python bench/load.py --members $${BENCH_MEMBERS:-300000} --peak 2000 --minutes $${BENCH_LOAD_MINUTES:-10}

bench-essays: $(STAMP)
	$(BIN)/python bench/essays.py --essays $${BENCH_ESSAYS:-100000}
	$(BIN)/python bench/essays.py --formats $${BENCH_FORMATS:-2000}
	$(BIN)/python bench/doc_batch.py --essays $${BENCH_DOC:-300}
	$(BIN)/python bench/essays.py --mixed $${BENCH_MIXED:-300000}
	$(BIN)/python bench/national_scan.py --essays $${BENCH_NATIONAL_ESSAYS:-1000000} --in-process $${BENCH_NATIONAL_IN_PROCESS:-300000}

clean:
	rm -rf $(VENV) var
