FROM node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
COPY . /app
# The command drops to the node user itself.
CMD ["gosu", "node", "node", "/app/server.js"]
