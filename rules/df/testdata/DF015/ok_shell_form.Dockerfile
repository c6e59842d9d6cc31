# The shell stays PID 1 here: DF013's business.
FROM node:22-slim
CMD node server.js
