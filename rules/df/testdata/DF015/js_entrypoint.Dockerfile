FROM node:22-slim
WORKDIR /app
COPY . .
# A JavaScript file run directly is node (through its #! line).
# want +1 DF015 "`/app/docker-entrypoint.js` runs node as PID 1"
ENTRYPOINT ["/app/docker-entrypoint.js"]
