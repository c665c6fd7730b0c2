# The netwerk API (FastAPI + uvicorn). Neo4j runs as its own service (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY api ./api
COPY cypher ./cypher
RUN pip install --no-cache-dir -e .
ENV NETWERK_STORE=/data/netwerk-data
EXPOSE 8000
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]
