# The kit's grader in a container (instructor guide, "In a container"). Build once with network
# access; grade with the network off, mounting the submissions, an output folder and, read-only,
# your private held-out file, which never enters the image (.dockerignore):
#   docker build -t kit-grader .
#   docker run --rm --network none --cpus 2 --memory 6g \
#       -v ~/Downloads/submissions.zip:/in/submissions.zip:ro -v "$PWD/grades":/out \
#       -v ~/course/private-heldout.toml:/secret/private-heldout.toml:ro \
#       kit-grader .venv/bin/socialkit-grade 01 /in/submissions.zip --out /out/01 \
#       --private /secret/private-heldout.toml
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
COPY . /kit
WORKDIR /kit
RUN make assign PYTHON=python3
