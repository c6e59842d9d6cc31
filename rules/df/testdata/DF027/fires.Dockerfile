FROM node:22 AS build
# Build stages count too: recommends slow the build down.
# want +1 DF027 "`apt-get install` of python3, make and g[+][+] without `--no-install-recommends`"
RUN apt-get update && apt-get install -y python3 make g++ && rm -rf /var/lib/apt/lists/*

FROM node:22-slim
# want +2 DF027 "`apt-get install` of tini and ca-certificates"
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive \
       apt-get -y -q install \
        tini ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# want +1 DF027 "`apt install` of curl"
RUN apt update && apt install -y curl && rm -rf /var/lib/apt/lists/*
# want +1 DF027 "`apt-get install` of jq"
RUN apt-get update && sudo apt-get install -y jq; rm -rf /var/lib/apt/lists/*
# want +2 DF027 "`apt-get install` of procps"
RUN <<EOF
apt-get update && apt-get install -y procps
rm -rf /var/lib/apt/lists/*
EOF
# want +1 DF027 "`apt-get install` of wget"
RUN ["apt-get", "install", "-y", "wget"]
CMD ["node", "server.js"]
