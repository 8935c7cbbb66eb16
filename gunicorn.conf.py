"""gunicorn settings for `make serve`; every value can be overridden from the environment."""

import multiprocessing
import os

ENV = os.environ

wsgi_app = "kombitpl.wsgi:application"
# Behind the TLS proxy on the same host; GUNICORN_BIND=0.0.0.0:8000 where a load balancer
# on another host forwards to it.
bind = ENV.get("GUNICORN_BIND", f"127.0.0.1:{ENV.get('PORT', '8000')}")
workers = int(ENV.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# The largest export (every KLIK task of the country, ~100,000 rows) takes about 15 s here.
timeout = int(ENV.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# gunicorn 27 would otherwise open a control socket under ~/.gunicorn.
control_socket_disable = True
# Django writes one JSON line per request; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
forwarded_allow_ips = ENV.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
