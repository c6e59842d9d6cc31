# A Node stage because it installs nodejs.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci
# want +1 DF006 "`pnpm --filter web run build`"
RUN pnpm --filter web run build
CMD ["node", "server.js"]
