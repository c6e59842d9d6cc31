FROM node:22-slim
WORKDIR /app
COPY . .
# want +1 DF033 "`cd /app/web` inside RUN changes directory for this RUN only"
RUN cd /app/web && npm ci
# want +2 DF033 "`cd packages/api` inside RUN"
RUN npm ci \
 && cd packages/api \
 && npm run build
CMD ["node", "server.js"]
# Only the first directory change of a RUN is reported; going back is skipped.
# want +1 DF033 "`cd client`"
RUN cd / && cd client && npm ci && cd ../server && npm ci
