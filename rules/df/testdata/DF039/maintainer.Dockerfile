FROM node:22-slim
# want +1 DF039 "MAINTAINER Jane Doe <jane@example.com> is deprecated"
MAINTAINER Jane Doe <jane@example.com>
CMD ["node", "server.js"]

FROM node:22-slim
# Quotes, backslashes and dollars are escaped in the label.
# want +1 DF039 "MAINTAINER"
  MAINTAINER "The $TEAM team" \o/
