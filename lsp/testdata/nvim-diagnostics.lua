-- Run by lsp/nvim_test.go in a headless Neovim started in a project:
-- loads the README's Neovim snippet ($SEAWORTHY_SNIPPET), opens
-- $SEAWORTHY_FILE, waits for seaworthy's diagnostics, asks for the code
-- actions and the hover of the first one, and writes all of it as JSON
-- to $SEAWORTHY_OUT.
local out = os.getenv('SEAWORTHY_OUT')

local function finish(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

-- Neovim 0.7 (Debian bookworm's) has no vim.lsp.start, which the snippet
-- uses (0.8 and newer): the same from the API it has, starting one client
-- per name and root and attaching the current buffer.
if not vim.lsp.start then
  local started = {}
  vim.lsp.start = function(config)
    local key = config.name .. '\n' .. config.root_dir
    if not started[key] then
      started[key] = vim.lsp.start_client(config)
    end
    vim.lsp.buf_attach_client(0, started[key])
    return started[key]
  end
end

dofile(os.getenv('SEAWORTHY_SNIPPET'))
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SEAWORTHY_FILE')))

if not vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  finish({ error = 'no diagnostics within 30 s; clients: ' .. #vim.lsp.get_active_clients() })
  return
end

local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(diagnostics, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, message = d.message, source = d.source, code = d.code,
  })
end

local first = vim.diagnostic.get(0)[1]
local doc = vim.lsp.util.make_text_document_params()
local actions = {}
local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', {
  textDocument = doc,
  range = { start = { line = first.lnum, character = first.col }, ['end'] = { line = first.end_lnum, character = first.end_col } },
  context = { diagnostics = {} },
}, 10000)
for _, res in pairs(responses or {}) do
  for _, a in ipairs(res.result or {}) do
    table.insert(actions, a.title)
  end
end

local hover = ''
responses = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = doc, position = { line = first.lnum, character = first.col },
}, 10000)
for _, res in pairs(responses or {}) do
  if res.result then
    hover = res.result.contents.value
  end
end

finish({ diagnostics = diagnostics, actions = actions, hover = hover })
