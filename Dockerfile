# syntax=docker/dockerfile:1
# boi-mock: a stateful mock of the Infinite Campus Business Office Integration (BOI) API.
#   docker build -t boi-mock .
#   docker run --rm -p 127.0.0.1:8080:8080 -e BOI_MOCK_ADMIN_TOKEN="$(openssl rand -hex 24)" boi-mock
#                                                # SQLite inside the container
#   BOI_MOCK_ADMIN_TOKEN=… docker compose up --build   # with PostgreSQL 16, see docker-compose.yml
#
# BOI_MOCK_ADMIN_TOKEN is required: the server listens on 0.0.0.0 inside the container, and `boi-mock serve`
# refuses to listen where other machines can connect without it (the open /_mock would hand out every
# district's client secret). With it, every /_mock call needs `Authorization: Bearer <token>`, the Campus UI
# asks for it once, and the start banner prints no client secret. /_mock/health stays open (health checks).
# The token is never baked into the image: pass it at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 boi \
    && useradd --system --uid 10001 --gid boi --home-dir /app --no-create-home boi

WORKDIR /app

# The package alone: migrations, Campus UI files and seed scenarios ship inside it. Pinned versions
# (constraints.txt) make the image reproducible.
COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY src/ ./src/
RUN pip install -c constraints.txt . \
    && rm -rf /app/src /app/build \
    && mkdir -p /app/data \
    && chown boi:boi /app/data

# Without docker compose the mock keeps its state in SQLite in a writable directory.
ENV BOI_MOCK_DATABASE_URL=sqlite:////app/data/boi-mock.db \
    BOI_MOCK_HOST=0.0.0.0

USER boi

EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/_mock/health', timeout=4).status == 200 else 1)"]

CMD ["boi-mock", "serve", "--host", "0.0.0.0", "--port", "8080"]
