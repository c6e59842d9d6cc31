# Near miss: the sh -c script execs its last command.
FROM node:22-slim
WORKDIR /app
CMD ["sh", "-c", "npm run migrate && exec node server.js"]
