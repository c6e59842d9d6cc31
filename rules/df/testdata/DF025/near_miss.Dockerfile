FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
    && apt-get -y dist-upgrade \
    && rm -rf /var/lib/apt/lists/*
RUN sudo apt-get update && sudo apt-get install -y tini
RUN apt-get update && xargs -a packages.txt apt-get install -y
RUN apt-get update && ./scripts/install-deps.sh
RUN apt-get update && dpkg -i /tmp/app.deb || apt-get -f install -y
# apt-get upgrade counts as installing.
RUN apt-get update && apt-get upgrade -y
RUN apt-get update && \
    while read -r pkg; do apt-get satisfy -y "$pkg"; done < /tmp/deps.txt
RUN apt-get update && bash -c "apt-get install -y git"
