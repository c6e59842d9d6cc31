# npm in front is DF014's business.
FROM node:22-slim
CMD ["npm", "start"]
