FROM nginx:1.27-alpine AS web
# Files of the base image: a configuration change, not a cleanup.
RUN rm /etc/nginx/conf.d/default.conf
RUN rm -rf /usr/share/nginx/html/*
COPY nginx.conf /etc/nginx/conf.d/app.conf

FROM node:22-slim
# Cleanup in the same RUN that created the files.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev && npm cache clean --force
# Deleting something and doing more work is not a cleanup-only RUN.
RUN rm -f /bin/sh && ln -s /bin/bash /bin/sh
COPY --from=web /etc/nginx /etc/nginx
CMD ["node", "server.js"]
