# syntax=docker/dockerfile:1
FROM node:22-slim
WORKDIR /app
COPY . .
# want +6 DF016 "entrypoint script /app/run.sh ends with `npm start` without `exec`"
RUN cat <<'SCRIPT' > /app/run.sh && chmod +x /app/run.sh
#!/bin/bash
if [ -n "$MIGRATE" ]; then
  npm run migrate
fi
npm start
SCRIPT
CMD ["./run.sh"]
