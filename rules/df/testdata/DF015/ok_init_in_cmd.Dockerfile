FROM node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends dumb-init && rm -rf /var/lib/apt/lists/*
CMD ["/usr/bin/dumb-init", "node", "server.js"]
