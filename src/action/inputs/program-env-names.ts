/**
 * Environment variables that change how a program runs: a token exported under one of these names
 * by 'export-env' would become a program to run, a file to load, a proxy or a certificate for
 * every later step. Names are compared ignoring case (Windows runners do, and proxy variables are
 * read in both cases). The names gh and most tools read a token from stay allowed (TOKEN_NAMES).
 */
interface Reader {
  who: string
  names?: string[]
  prefixes?: string[]
}

const READERS: Reader[] = [
  // The runner: its own variables, file commands and post-step state; NODE_OPTIONS it refuses
  // in GITHUB_ENV itself (actions/runner, FileCommandManager.cs).
  // https://docs.github.com/en/actions/reference/workflows-and-actions/variables#default-environment-variables
  {
    who: 'the runner',
    names: ['CI'],
    prefixes: ['GITHUB_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_']
  },
  // git: everything under GIT_ (GIT_ASKPASS, GIT_SSH_COMMAND, GIT_CONFIG_*, GIT_EXEC_PATH, …).
  // https://git-scm.com/docs/git#_environment_variables
  { who: 'git', prefixes: ['GIT_'] },
  // Node and npm: NODE_OPTIONS, NODE_EXTRA_CA_CERTS, NODE_PATH, NODE_TLS_REJECT_UNAUTHORIZED, …;
  // npm reads every npm_config_* as configuration (script-shell, registry, …).
  // https://nodejs.org/api/cli.html#environment-variables
  // https://docs.npmjs.com/cli/using-npm/config#environment-variables
  {
    who: 'Node or npm',
    names: ['UV_THREADPOOL_SIZE', 'UV_USE_IO_URING'],
    prefixes: ['NODE_', 'NPM_CONFIG_']
  },
  // The shells: read at start-up, or run as code (BASH_ENV, ENV, PS4 under set -x, …).
  // https://www.gnu.org/software/bash/manual/html_node/Bash-Variables.html
  // https://pubs.opengroup.org/onlinepubs/9799919799/utilities/V3_chap02.html#tag_19_05_03
  {
    who: 'the shell',
    names: [
      'PATH',
      'HOME',
      'SHELL',
      'ENV',
      'BASH_ENV',
      'SHELLOPTS',
      'BASHOPTS',
      'POSIXLY_CORRECT',
      'IFS',
      'CDPATH',
      'GLOBIGNORE',
      'EXECIGNORE',
      'PS1',
      'PS2',
      'PS4',
      'PROMPT_COMMAND',
      'BASH_XTRACEFD',
      'HISTFILE',
      'INPUTRC',
      'TMOUT',
      'PWD',
      'OLDPWD',
      'SHLVL',
      'LANG',
      'TZ',
      'TERM',
      'EDITOR',
      'VISUAL',
      'PAGER',
      'BROWSER'
    ],
    prefixes: ['BASH_FUNC_', 'LC_']
  },
  // The dynamic linker and the C library (the variables ld.so drops for set-user-ID programs).
  // https://man7.org/linux/man-pages/man8/ld.so.8.html
  {
    who: 'the dynamic linker',
    names: [
      'GCONV_PATH',
      'GETCONF_DIR',
      'GLIBC_TUNABLES',
      'HOSTALIASES',
      'LOCALDOMAIN',
      'LOCPATH',
      'MALLOC_TRACE',
      'NIS_PATH',
      'NLSPATH',
      'RESOLV_HOST_CONF',
      'RES_OPTIONS',
      'TMPDIR',
      'TZDIR'
    ],
    prefixes: ['LD_']
  },
  // Proxies and TLS trust, read by curl, git, OpenSSL and most HTTP clients.
  // https://curl.se/docs/manpage.html#ENVIRONMENT
  // https://docs.openssl.org/master/man7/openssl-env/
  {
    who: 'curl, OpenSSL and HTTP clients',
    names: [
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'ALL_PROXY',
      'NO_PROXY',
      'FTP_PROXY',
      'SSL_CERT_FILE',
      'SSL_CERT_DIR',
      'CURL_CA_BUNDLE',
      'CURL_HOME',
      'REQUESTS_CA_BUNDLE',
      'OPENSSL_CONF',
      'OPENSSL_MODULES',
      'OPENSSL_ENGINES'
    ]
  },
  // gh: its settings besides the token (GH_HOST, GH_EDITOR, GH_BROWSER, GH_PAGER, GH_CONFIG_DIR…).
  // https://cli.github.com/manual/gh_help_environment
  { who: 'gh', prefixes: ['GH_'] },
  // Other interpreters on the hosted runners: options and load paths.
  // https://docs.python.org/3/using/cmdline.html#environment-variables
  // https://perldoc.perl.org/perlrun#ENVIRONMENT
  // https://docs.oracle.com/en/java/javase/21/troubleshoot/environment-variables-and-system-properties.html
  {
    who: 'Python, Perl, Ruby or Java',
    names: [
      'RUBYOPT',
      'RUBYLIB',
      'JAVA_TOOL_OPTIONS',
      '_JAVA_OPTIONS',
      'JDK_JAVA_OPTIONS',
      'CLASSPATH'
    ],
    prefixes: ['PYTHON', 'PERL5', 'PERLLIB']
  }
]

/** Token names that tools read a token from: what 'export-env' is for. */
const TOKEN_NAMES = new Set([
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN'
])

/** Which program reads `name` for itself, or undefined when none on the list does. */
export function programReading(name: string): string | undefined {
  const upper = name.toUpperCase()
  if (TOKEN_NAMES.has(upper)) return undefined
  const reader = READERS.find(
    ({ names = [], prefixes = [] }) =>
      names.includes(upper) || prefixes.some((prefix) => upper.startsWith(prefix))
  )
  return reader?.who
}
