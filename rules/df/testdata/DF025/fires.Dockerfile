FROM node:22-slim AS build
# want +1 DF025 "`apt-get update` in a RUN that installs nothing"
RUN apt-get update
RUN apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim
# want +1 DF025 "`apt -qq update`"
RUN apt -qq update && echo done
# want +2 DF025 "`apt-get -o Acquire::Retries=3 update`"
RUN set -eux; \
    apt-get -o Acquire::Retries=3 update; \
    apt-cache policy nodejs
# want +2 DF025 "`apt-get update`"
RUN <<EOF
apt-get update
apt-cache search node
EOF
# want +1 DF025 "`apt-get update`"
RUN ["apt-get", "update"]
