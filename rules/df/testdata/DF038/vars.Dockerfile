FROM node:22-slim AS dev
ENV PORT=3000
# Any stage: the variable is never expanded.
# want +1 DF038 "exec-form CMD passes `\\$PORT` literally"
CMD ["node", "server.js", "--port", "$PORT"]

FROM node:22-slim
ENV APP_HOME=/app NODE_OPTIONS=--max-old-space-size=512
# want +1 DF038 "exec-form ENTRYPOINT passes `\\$\\{APP_HOME\\}`, `\\$NODE_OPTIONS` literally"
ENTRYPOINT ["node", "${APP_HOME}/server.js", "$NODE_OPTIONS"]
