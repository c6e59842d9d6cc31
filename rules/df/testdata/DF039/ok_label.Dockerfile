# Near miss: the label is already used.
FROM node:22-slim
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
CMD ["node", "server.js"]
