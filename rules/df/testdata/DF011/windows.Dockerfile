# escape=`
ARG core=mcr.microsoft.com/windows/servercore:ltsc2022
FROM $core
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
COPY app C:/app
CMD ["node.exe", "C:/app/server.js"]
