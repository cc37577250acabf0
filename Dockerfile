FROM python:3.11-slim
# Chinese glyphs for the annual report's PDF (GET /report?format=pdf)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --no-cache-dir -r requirements/runtime.txt
COPY graph graph
COPY api api
COPY loaders loaders
COPY queries queries
COPY reports reports
COPY chanjiao chanjiao
COPY data data
RUN pip install --no-cache-dir --no-deps . && pip check
ENV CHANJIAO_ENV=production
EXPOSE 8000
CMD ["chanjiao", "serve", "--host", "0.0.0.0", "--port", "8000"]
