FROM node:22-slim
WORKDIR /app
COPY . .
# exec makes node PID 1.
# want +1 DF015 "`node server.js` runs as PID 1"
CMD ["sh", "-c", "node migrate.js && exec node server.js"]
