FROM debian:bookworm-slim AS build
# A build stage is thrown away: its lists are never shipped.
RUN apt-get update && apt-get install -y --no-install-recommends build-essential python3

FROM node:22-slim
# want +1 DF026 "RUN installs curl with apt-get but keeps /var/lib/apt/lists in the layer"
RUN apt-get update && apt-get install -y --no-install-recommends curl
# want +1 DF026 "RUN installs tini, ca-certificates and 2 more with apt-get"
RUN apt-get update \
    # comments inside continuations are dropped by Docker
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tini \
        ca-certificates \
        git openssh-client \
    && apt-get clean
# want +1 DF026 "RUN installs dumb-init with apt"
RUN apt update && apt install -y dumb-init || true
# A cache mount on another directory does not cover the lists.
# want +1 DF026 "installs jq with apt-get"
RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y jq
# Not fixable: the last command is followed by `fi`.
# want +1 DF026 "installs gosu"
RUN if [ -n "$GOSU" ]; then apt-get update && apt-get install -y gosu; fi
# Not fixable: heredoc.
# want +1 DF026 "installs procps"
RUN <<EOF
apt-get update
apt-get install -y procps
EOF
# Not fixable: trailing comment.
# want +1 DF026 "installs vim"
RUN apt-get update && apt-get install -y vim # editor
CMD ["node", "server.js"]
