FROM node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get --no-install-recommends install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -o APT::Install-Recommends=false install -y jq && rm -rf /var/lib/apt/lists/*
# Other verbs.
RUN apt-get update && apt-get upgrade -y && apt-get remove -y vim && rm -rf /var/lib/apt/lists/*
CMD ["node", "server.js"]
