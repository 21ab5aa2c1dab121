// @actions/core 3 imports @actions/exec (and through it @actions/io, node:child_process and assert) at its
// top only for core.platform.getDetails(), which runs `lsb_release`, `sw_vers` or PowerShell. Enterprise
// Deploy never asks for it, so @actions/core's copy gets this stand-in.
export function getExecOutput() {
  return Promise.reject(
    new Error(
      '@actions/exec is not bundled with @actions/core in Enterprise Deploy: core.platform.getDetails() is not supported (see vendor/actions-exec-unused)'
    )
  )
}
