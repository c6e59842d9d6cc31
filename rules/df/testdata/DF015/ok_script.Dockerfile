# A user's entrypoint script runs node: DF016's business.
FROM node:22-slim
COPY entrypoint.sh /
ENTRYPOINT ["/entrypoint.sh"]
CMD ["node", "server.js"]
