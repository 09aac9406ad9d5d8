/**
 * Grammar-aware generators of job files (fast-check): HCL job files built from the jobspec's blocks with
 * expressions over Nomad's functions, variables, locals, templates and for expressions; and API JSON jobs with
 * fields of the right and the wrong kinds. Used by the fuzz tests and the differential comparison with Nomad.
 */
import fc from 'fast-check';

const name = fc.constantFrom('web', 'api', 'cache', 'worker', 'db-1', 'x_y', 'ünï');
const text = fc
  .string({ maxLength: 10 })
  .map((s) => [...s].filter((c) => c >= ' ' && !'\\"$%'.includes(c)).join(''));
const quoted = text.map((s) => JSON.stringify(s));
const integer = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(-1, 0, 2 ** 31));
const numberText = fc.oneof(
  integer.map(String),
  fc.constantFrom('9007199254740993', '-9223372036854775809'),
  fc.constantFrom('0.5', '1.25', '1e3', '2.5e-3', '0.1', '100.000', '1e21', '12345678901234567890'),
);

/** An expression of HCL's grammar over Nomad's functions and the file's own variables and locals. */
export const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    quoted,
    fc.constantFrom('true', 'false', 'null', 'var.region', 'var.count', 'local.tags', 'var.ports[0]'),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||'),
        tie('expr'),
      )
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(fc.tuple(name, tie('expr')), { maxLength: 3 })
      .map((items) => `{ ${items.map(([k, v]) => `${JSON.stringify(k)} = ${v}`).join(', ')} }`),
    fc
      .tuple(
        fc.constantFrom(
          'upper',
          'lower',
          'format',
          'join',
          'split',
          'concat',
          'length',
          'max',
          'min',
          'abs',
          'ceil',
          'floor',
          'jsonencode',
          'yamlencode',
          'tostring',
          'substr',
          'replace',
          'regex_replace',
          'merge',
          'lookup',
          'range',
          'coalesce',
          'keys',
          'distinct',
          'flatten',
          'parseint',
          'pow',
          'formatdate',
          'cidrhost',
          'timeadd',
          'element',
          'sort',
          'base64encode',
          'sha256',
          'jsondecode',
          'setproduct',
        ),
        fc.array(tie('expr'), { maxLength: 3 }),
      )
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(tie('expr')).map(([e]) => `[for v in var.ports : ${e}]`),
    fc.tuple(tie('expr')).map(([e]) => `{ for k, v in local.tags : k => ${e} }`),
    fc.tuple(tie('expr'), text).map(([e, t]) => `"${t}\${${e}}${t}"`),
    fc.tuple(tie('expr')).map(([e]) => `"%{ if ${e} }yes%{ else }no%{ endif }"`),
    fc.tuple(tie('expr')).map(([e]) => `(${e})`),
    tie('expr').map((e) => `-${e}`),
    tie('expr').map((e) => `!${e}`),
  ),
})).expr;

const attribute = (key: string, value: fc.Arbitrary<string>) => value.map((v) => `${key} = ${v}\n`);

const task = fc
  .tuple(
    name,
    fc.constantFrom('"docker"', '"raw_exec"', '"exec"'),
    expression,
    fc.option(attribute('kill_timeout', fc.constantFrom('"5s"', '"1m30s"', '5000000000', '"x"'))),
    fc.option(fc.tuple(expression, expression)),
  )
  .map(
    ([label, driver, env, kill, resources]) =>
      `task "${label}" {\ndriver = ${driver}\nconfig {\ncommand = "true"\nargs = [${env}]\n}\nenv {\nVALUE = ${env}\n}\n${kill ?? ''}${
        resources ? `resources {\ncpu = ${resources[0]}\nmemory = ${resources[1]}\n}\n` : ''
      }}\n`,
  );

const group = fc
  .tuple(name, fc.option(expression), fc.array(task, { minLength: 1, maxLength: 2 }), fc.option(integer))
  .map(
    ([label, count, tasks, port]) =>
      `group "${label}" {\n${count === null ? '' : `count = ${count}\n`}${
        port === null ? '' : `network {\nport "http" {\nstatic = ${port}\n}\n}\n`
      }${[...new Map(tasks.map((t) => [t.split('"')[1], t])).values()].join('')}}\n`,
  );

/** A whole HCL job file: variables with defaults, locals, a job with meta, constraints and groups. */
export const hclJobFile: fc.Arbitrary<string> = fc
  .tuple(
    name,
    fc.constantFrom('"service"', '"batch"', '"system"', '"sysbatch"', '"microservice"', '5'),
    fc.array(group, { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(name, expression), { maxLength: 3 }),
    expression,
    fc.option(integer),
  )
  .map(
    ([id, type, groups, meta, local, priority]) =>
      `variable "region" {\n  default = "eu"\n}\nvariable "count" {\n  type    = number\n  default = 2\n}\nvariable "ports" {\n  default = [80, 443]\n}\nlocals {\n  tags = { a = "1", b = "2" }\n  derived = ${local}\n}\njob "${id}" {\ntype = ${type}\n${
        priority === null ? '' : `priority = ${priority}\n`
      }datacenters = ["dc1"]\nmeta {\n${[...new Map(meta).entries()]
        .map(([k, v]) => `${k} = ${v}\n`)
        .join('')}}\n${[...new Map(groups.map((g) => [g.split('"')[1], g])).values()].join('')}}\n`,
  );

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('Name', 'Count', 'Driver', 'Config', 'x'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** An API JSON job: the usual fields, each sometimes of the wrong kind. */
export const jsonJobFile: fc.Arbitrary<string> = fc
  .record({
    ID: fc.oneof(name, jsonValue),
    Type: fc.oneof(fc.constantFrom('service', 'batch'), jsonValue),
    Priority: fc.oneof(fc.integer({ min: -5, max: 200 }), jsonValue),
    Datacenters: fc.oneof(fc.constant(['dc1']), jsonValue),
    Meta: fc.oneof(fc.dictionary(name, text), jsonValue),
    TaskGroups: fc.oneof(
      fc.array(
        fc.record({
          Name: fc.oneof(name, jsonValue),
          Count: fc.oneof(fc.integer({ min: -2, max: 10 }), jsonValue),
          Tasks: fc.oneof(
            fc.array(
              fc.record({
                Name: name,
                Driver: fc.constant('docker'),
                Config: fc.dictionary(name, jsonValue),
              }),
              { maxLength: 2 },
            ),
            jsonValue,
          ),
        }),
        { maxLength: 2 },
      ),
      jsonValue,
    ),
  })
  .chain((job) =>
    fc.oneof(
      fc.constant(JSON.stringify({ Job: job }, null, 2)),
      fc.constant(JSON.stringify(job)),
      fc
        .tuple(fc.nat(), fc.constantFrom('', '{', '}', '[', ']', '"', ',', ':', '1e999', '\u0000'))
        .map(([at, insert]) => {
          const s = JSON.stringify({ Job: job });
          const i = at % (s.length + 1);
          return s.slice(0, i) + insert + s.slice(i + 1);
        }),
    ),
  );

/** A number expression Nomad accepts: literals, arithmetic and Nomad's number functions. */
const numberExpression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  n: fc.oneof(
    { depthSize: 'small' },
    numberText,
    fc.constantFrom(
      'var.count',
      'length(var.ports)',
      'parseint("ff", 16)',
      'pow(2, 10)',
      'length(keys(local.tags))',
    ),
    fc
      .tuple(tie('n'), fc.constantFrom('+', '-', '*', '/'), tie('n'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('max', 'min'), tie('n'), tie('n')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(fc.constantFrom('abs', 'ceil', 'floor'), tie('n')).map(([f, a]) => `${f}(${a})`),
  ),
})).n;

/** A string expression Nomad accepts, often built from numbers. */
const stringExpression: fc.Arbitrary<string> = fc.letrec((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    quoted,
    numberExpression,
    fc.constant('var.region'),
    fc
      .tuple(fc.constantFrom('upper', 'lower', 'title', 'trimspace', 'strrev'), tie('s'))
      .map(([f, a]) => `${f}(${a})`),
    fc.tuple(numberExpression, tie('s')).map(([n, s]) => `"\${${n}}-\${${s}}"`),
    fc
      .tuple(fc.constantFrom('%v', '%g', '%e', '%.3f', '%5.1f', '%08.2f', '%+g', '%x'), numberExpression)
      .map(([verb, n]) => `format("${verb}", ${verb === '%x' ? `floor(abs(${n}))` : n})`),
    fc.tuple(numberExpression, tie('s')).map(([n, s]) => `jsonencode([${n}, ${s}, { n = ${n} }])`),
    fc.tuple(numberExpression).map(([n]) => `yamlencode({ n = ${n} })`),
    fc.array(tie('s'), { maxLength: 3 }).map((items) => `join(",", [${items.join(', ')}])`),
  ),
})).s;

/** A job file Nomad should accept: typed expressions in meta, env, args and resources. */
export const acceptedJobFile: fc.Arbitrary<string> = fc
  .tuple(
    name,
    fc.array(fc.tuple(name, stringExpression), { minLength: 1, maxLength: 4 }),
    fc.array(stringExpression, { maxLength: 3 }),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 10, max: 4000 }),
  )
  .map(
    ([id, meta, args, count, cpu]) =>
      `variable "region" {\n  default = "eu"\n}\nvariable "count" {\n  type    = number\n  default = 2\n}\nvariable "ports" {\n  default = [80, 443]\n}\nlocals {\n  tags = { a = "1", b = "2" }\n}\njob "${id}" {\n  datacenters = ["dc1"]\n  meta {\n${[
        ...new Map(meta).entries(),
      ]
        .map(([k, v]) => `    ${k} = ${v}\n`)
        .join(
          '',
        )}  }\n  group "g" {\n    count = ${count}\n    task "t" {\n      driver = "raw_exec"\n      config {\n        command = "true"\n        args    = [${args.join(', ')}]\n      }\n      env {\n        VALUE = ${args[0] ?? '"none"'}\n      }\n      resources {\n        cpu = ${cpu}\n      }\n    }\n  }\n}\n`,
  );

// ---- job files built from the jobspec's blocks ------------------------------------------------------------

/*
 * Values as users write them and as Go's decoders take them: durations in every unit, whole numbers as numbers,
 * strings and 2.0, numbers past an int8 or uint8 (spread weights, target percents), bools as strings.
 */
const durationText = fc.constantFrom(
  '"30s"',
  '"1m30s"',
  '"1h"',
  '"250ms"',
  '"0s"',
  '10000000000',
  '"1.5h"',
  '"2h45m30.5s"',
  '"-5s"',
  '"1us"',
  '"1µs"',
  '"3ns"',
);
const wholeText = fc.constantFrom('0', '1', '3', '"2"', '10', '2.0', '"7"', '100', '300');
const boolText = fc.constantFrom('true', 'false', '"true"', '"false"');
const stringText = fc.constantFrom('"a"', '"x-y"', '""', '"${var.region}"', '1', 'true', '"ünï"');
/** Some of the blocks, each at most once, in this order. */
const pick = (...blocks: fc.Arbitrary<string>[]) =>
  fc
    .subarray(blocks.map((b, i) => i))
    .chain((idx) => fc.tuple(...idx.map((i) => blocks[i]!)).map((bs) => bs.join('')));
const update = fc
  .tuple(
    wholeText,
    durationText,
    durationText,
    boolText,
    boolText,
    wholeText,
    fc.constantFrom('"checks"', '"task_states"', '"manual"'),
  )
  .map(
    ([mp, mh, hd, ar, ap, c, hc]) =>
      `    update {\n      max_parallel = ${mp}\n      min_healthy_time = ${mh}\n      healthy_deadline = ${hd}\n      auto_revert = ${ar}\n      auto_promote = ${ap}\n      canary = ${c}\n      health_check = ${hc}\n    }\n`,
  );
const restart = fc
  .tuple(wholeText, durationText, durationText, fc.constantFrom('"fail"', '"delay"'), boolText)
  .map(
    ([a, d, i, m, rt]) =>
      `    restart {\n      attempts = ${a}\n      delay = ${d}\n      interval = ${i}\n      mode = ${m}\n      render_templates = ${rt}\n    }\n`,
  );
const resched = fc
  .tuple(
    wholeText,
    durationText,
    durationText,
    fc.constantFrom('"constant"', '"exponential"', '"fibonacci"'),
    durationText,
    boolText,
  )
  .map(
    ([a, i, d, f, md, u]) =>
      `    reschedule {\n      attempts = ${a}\n      interval = ${i}\n      delay = ${d}\n      delay_function = ${f}\n      max_delay = ${md}\n      unlimited = ${u}\n    }\n`,
  );
const network = fc
  .tuple(fc.constantFrom('"bridge"', '"host"'), wholeText, fc.option(stringText))
  .map(
    ([m, s, to]) =>
      `    network {\n      mode = ${m}\n      port "http" {\n        static = ${s}\n${to ? `        to = ${s}\n` : ''}      }\n      port "dyn" {}\n    }\n`,
  );
const constraint = fc
  .tuple(
    fc.constantFrom('"${attr.kernel.name}"', '"${meta.rack}"'),
    fc.constantFrom('"="', '"!="', '">="', '"regexp"', '"set_contains"', '"version"'),
    stringText,
  )
  .map(
    ([a, o, v]) =>
      `    constraint {\n      attribute = ${a}\n      operator = ${o}\n      value = ${v}\n    }\n`,
  );
const spread = fc
  .tuple(wholeText, stringText)
  .map(
    ([w, v]) =>
      `    spread {\n      attribute = "\${node.datacenter}"\n      weight = ${w}\n      target ${v.startsWith('"') ? v : '"t"'} {\n        percent = ${w}\n      }\n    }\n`,
  );
const affinity = fc
  .tuple(wholeText, stringText)
  .map(
    ([w, v]) =>
      `    affinity {\n      attribute = "\${node.class}"\n      value = ${v}\n      weight = ${w}\n    }\n`,
  );
const ephemeral = fc
  .tuple(wholeText, boolText, boolText)
  .map(
    ([s, st, m]) =>
      `    ephemeral_disk {\n      size = ${s}\n      sticky = ${st}\n      migrate = ${m}\n    }\n`,
  );
const service = fc
  .tuple(stringText, durationText, durationText, fc.constantFrom('"http"', '"tcp"', '"script"'))
  .map(
    ([n, i, t, ty]) =>
      `      service {\n        name = "svc"\n        port = "http"\n        tags = [${n}, "b"]\n        provider = "nomad"\n        check {\n          type = ${ty}\n          path = "/"\n          interval = ${i}\n          timeout = ${t}\n        }\n      }\n`,
  );
const template = fc
  .tuple(stringText, boolText, durationText, fc.constantFrom('"restart"', '"noop"', '"signal"'))
  .map(
    ([d, e, s, cm]) =>
      `      template {\n        data = ${d}\n        destination = "local/x"\n        env = ${e}\n        splay = ${s}\n        change_mode = ${cm}\n${cm === '"signal"' ? '        change_signal = "SIGHUP"\n' : ''}      }\n`,
  );
const device = fc
  .tuple(wholeText)
  .map(([c]) => `        device "nvidia/gpu" {\n          count = ${c}\n        }\n`);
const resources = fc
  .tuple(wholeText, wholeText, fc.option(wholeText), fc.option(device))
  .map(
    ([c, m, mm, d]) =>
      `      resources {\n        cpu = ${c}\n        memory = ${m}\n${mm ? `        memory_max = ${mm}\n` : ''}${d ?? ''}      }\n`,
  );
const logs = fc
  .tuple(wholeText, wholeText, boolText)
  .map(
    ([f, s, d]) =>
      `      logs {\n        max_files = ${f}\n        max_file_size = ${s}\n        disabled = ${d}\n      }\n`,
  );
const lifecycle = fc
  .tuple(fc.constantFrom('"prestart"', '"poststart"', '"poststop"'), boolText)
  .map(([h, s]) => `      lifecycle {\n        hook = ${h}\n        sidecar = ${s}\n      }\n`);
const artifact = fc
  .constantFrom('"file"', '"dir"', '"any"')
  .map(
    (m) =>
      `      artifact {\n        source = "https://example.com/x.tgz"\n        destination = "local/"\n        mode = ${m}\n        options {\n          checksum = "md5:abc"\n        }\n      }\n`,
  );
const migrate = fc
  .tuple(wholeText, durationText, durationText, fc.constantFrom('"checks"', '"task_states"'))
  .map(
    ([mp, mh, hd, hc]) =>
      `    migrate {\n      max_parallel = ${mp}\n      min_healthy_time = ${mh}\n      healthy_deadline = ${hd}\n      health_check = ${hc}\n    }\n`,
  );
const disconnect = fc
  .tuple(durationText, boolText, fc.constantFrom('"keep_original"', '"best_score"', '"longest_running"'))
  .map(
    ([l, r, re]) =>
      `    disconnect {\n      lost_after = ${l}\n      replace = ${r}\n      reconcile = ${re}\n    }\n`,
  );
const volume = fc
  .tuple(boolText, fc.constantFrom('"host"', '"csi"'))
  .map(
    ([ro, t]) =>
      `    volume "data" {\n      type = ${t}\n      source = "data"\n      read_only = ${ro}\n${t === '"csi"' ? '      attachment_mode = "file-system"\n      access_mode = "single-node-writer"\n' : ''}    }\n`,
  );
const vault = fc
  .tuple(boolText, fc.constantFrom('"restart"', '"noop"'))
  .map(([e, cm]) => `      vault {\n        env = ${e}\n        change_mode = ${cm}\n      }\n`);
const identity = fc
  .tuple(boolText, boolText, durationText)
  .map(
    ([e, f, ttl]) =>
      `      identity {\n        env = ${e}\n        file = ${f}\n      }\n      identity {\n        name = "extra"\n        aud = ["a"]\n        ttl = ${ttl}\n      }\n`,
  );
const proxy = fc
  .tuple(wholeText, fc.constantFrom('[80]', '[]', '[65535]', '["443"]'))
  .map(
    ([p, ex]) =>
      `      service {\n        name = "mesh"\n        port = "9090"\n        connect {\n          sidecar_service {\n            proxy {\n              transparent_proxy {\n                outbound_port = ${p}\n                exclude_outbound_ports = ${ex}\n              }\n            }\n          }\n        }\n      }\n`,
  );
const taskAttrs = fc
  .tuple(durationText, fc.option(stringText), boolText, fc.option(durationText), fc.option(stringText))
  .map(
    ([kt, ks, l, sd, u]) =>
      `      kill_timeout = ${kt}\n${ks ? `      kill_signal = ${ks}\n` : ''}      leader = ${l}\n${sd ? `      shutdown_delay = ${sd}\n` : ''}${u ? `      user = ${u}\n` : ''}`,
  );
const groupScaling = fc
  .tuple(wholeText, wholeText, boolText)
  .map(
    ([min, max, e]) =>
      `    scaling {\n      min = ${min}\n      max = ${max}\n      enabled = ${e}\n      policy {\n        cooldown = "1m"\n      }\n    }\n`,
  );
const groupMeta = fc
  .tuple(stringText, wholeText, boolText)
  .map(([a, b, c]) => `    meta {\n      a = ${a}\n      b = ${b}\n      c = ${c}\n    }\n`);
const groupAttrs = fc
  .tuple(boolText, durationText)
  .map(([p, d]) => `    prevent_reschedule_on_lost = ${p}\n    stop_after_client_disconnect = ${d}\n`);
const taskEnv = fc
  .tuple(stringText, wholeText, boolText)
  .map(([a, b, c]) => `      env {\n        A = ${a}\n        B = ${b}\n        C = ${c}\n      }\n`);
const taskMeta = fc
  .tuple(stringText, wholeText)
  .map(([a, b]) => `      meta = {\n        a = ${a}\n        "b.c" = ${b}\n      }\n`);
const checkRestart = fc
  .tuple(wholeText, durationText, boolText)
  .map(
    ([l, g, w]) =>
      `      service {\n        name = "r"\n        provider = "nomad"\n        check {\n          type = "tcp"\n          port = "http"\n          interval = "10s"\n          timeout = "2s"\n          check_restart {\n            limit = ${l}\n            grace = ${g}\n            ignore_warnings = ${w}\n          }\n        }\n      }\n`,
  );
const templateWait = fc
  .tuple(durationText, durationText, boolText)
  .map(
    ([min, max, e]) =>
      `      template {\n        data = "x"\n        destination = "local/w"\n        error_on_missing_key = ${e}\n        wait {\n          min = ${min}\n          max = ${max}\n        }\n      }\n`,
  );
const taskRestart = fc
  .tuple(wholeText, durationText)
  .map(([a, d]) => `      restart {\n        attempts = ${a}\n        delay = ${d}\n      }\n`);
const taskScaling = fc
  .tuple(wholeText, wholeText, boolText)
  .map(
    ([min, max, e]) =>
      `      scaling "cpu" {\n        min = ${min}\n        max = ${max}\n        enabled = ${e}\n        policy {\n          a = 1\n        }\n      }\n`,
  );
const csiPlugin = fc
  .constantFrom('"node"', '"controller"', '"monolith"')
  .map(
    (t) =>
      `      csi_plugin {\n        id = "p"\n        type = ${t}\n        mount_dir = "/csi"\n        health_timeout = "30s"\n        stage_publish_base_dir = "/x"\n      }\n`,
  );
const action = fc
  .tuple(stringText)
  .map(([a]) => `      action "hello" {\n        command = "echo"\n        args = [${a}]\n      }\n`);
const dispatchPayload = fc.constant(`      dispatch_payload {\n        file = "in.txt"\n      }\n`);
const periodic = fc
  .tuple(boolText, fc.constantFrom('"UTC"', '"Europe/Paris"'), fc.constantFrom('"*/5 * * * *"', '"@daily"'))
  .map(
    ([o, tz, c]) =>
      `  periodic {\n    crons = [${c}]\n    prohibit_overlap = ${o}\n    time_zone = ${tz}\n  }\n`,
  );
const parameterized = fc
  .tuple(fc.constantFrom('"optional"', '"required"', '"forbidden"'), stringText)
  .map(
    ([p, m]) =>
      `  parameterized {\n    payload = ${p}\n    meta_required = ["a"]\n    meta_optional = [${m}]\n  }\n`,
  );
const jobMeta = fc
  .tuple(stringText, wholeText)
  .map(([a, b]) => `  meta {\n    owner = ${a}\n    n = ${b}\n  }\n`);
const jobUpdate = fc
  .tuple(wholeText, durationText)
  .map(([mp, st]) => `  update {\n    max_parallel = ${mp}\n    stagger = ${st}\n  }\n`);
const jobUi = fc
  .tuple(stringText)
  .map(
    ([d]) =>
      `  ui {\n    description = ${d}\n    link {\n      label = "docs"\n      url = "https://example.com"\n    }\n  }\n`,
  );
const jobAttrs = fc
  .tuple(boolText, fc.constantFrom('"default"', '"all"', '"gpu"'))
  .map(([a, np]) => `  all_at_once = ${a}\n  node_pool = ${np}\n`);
/** A job file with a random choice of job, group and task blocks, each attribute set as users write it. */
export const blockJobFile: fc.Arbitrary<string> = fc
  .tuple(
    pick(
      update,
      restart,
      resched,
      network,
      constraint,
      spread,
      affinity,
      ephemeral,
      migrate,
      disconnect,
      volume,
      proxy,
      groupScaling,
      groupMeta,
      groupAttrs,
    ),
    pick(
      service,
      template,
      resources,
      logs,
      lifecycle,
      artifact,
      vault,
      identity,
      taskEnv,
      taskMeta,
      checkRestart,
      templateWait,
      taskRestart,
      taskScaling,
      csiPlugin,
      action,
      dispatchPayload,
    ),
    taskAttrs,
    wholeText,
    fc.constantFrom('"service"', '"batch"'),
    fc.option(durationText),
    pick(periodic, parameterized, jobMeta, jobUpdate, jobUi, jobAttrs),
  )
  .map(
    ([groupBlocks, taskBlocks, tattrs, count, type, sd, jobBlocks]) =>
      `variable "region" {\n  default = "eu"\n}\njob "rich" {\n  type = ${type}\n  priority = 50\n  datacenters = ["dc1"]\n${jobBlocks}  group "g" {\n    count = ${count}\n${sd ? `    shutdown_delay = ${sd}\n` : ''}${groupBlocks}    task "t" {\n      driver = "raw_exec"\n${tattrs}      config {\n        command = "true"\n      }\n${taskBlocks}    }\n  }\n}\n`,
  );
