FROM ubuntu:24.04 AS base
# Not fixable: a later RUN installs from these lists.
# want +1 DF026 "installs curl and ca-certificates with apt-get but keeps /var/lib/apt/lists"
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates

FROM base
# want +1 DF026 "RUN installs build-essential with apt from package lists an earlier layer downloaded"
RUN apt install -y build-essential
# want +1 DF026 "RUN installs wget with apt-get from package lists an earlier layer downloaded"
RUN ["apt-get", "install", "-y", "--no-install-recommends", "wget"]
# A script piped to a shell may update the lists itself (nodesource does).
# want +1 DF026 "installs nodejs with apt-get but keeps"
RUN curl -fsSL https://deb.nodesource.com/setup_22.x | bash - && apt-get install -y nodejs
CMD ["node", "server.js"]
