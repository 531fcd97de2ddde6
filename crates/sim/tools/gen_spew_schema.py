#!/usr/bin/env python3
"""Generate crates/sim/src/controller/deployment/spew_schema.rs: the Go struct layout of
core/v1 PodTemplateSpec (k8s.io/api) and the apimachinery types it reaches, in declaration
order, so that `spew` can print a pod template exactly as go-spew's `%#v` prints the Go value
(upstream `hashutil.DeepHashObject`, used by `controller.ComputeHash` for pod-template-hash).

Usage: gen_spew_schema.py CORE_TYPES_GO META_TYPES_GO > spew_schema.rs
  CORE_TYPES_GO: `git show v0.35.4:core/v1/types.go` of github.com/kubernetes/api
  META_TYPES_GO: `git show v0.35.4:pkg/apis/meta/v1/types.go` of github.com/kubernetes/apimachinery
"""
import re, sys

def parse(path, pkg):
    src = open(path).read()
    structs, named = {}, {}
    lines = src.split('\n')
    i = 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r'^type (\w+) struct \{\s*$', l)
        if m:
            name = m.group(1); fields = []
            i += 1
            while lines[i] != '}':
                fl = lines[i].strip()
                i += 1
                if not fl or fl.startswith('//'):
                    continue
                tag = ''
                t = re.search(r'`([^`]*)`', fl)
                if t:
                    tag = t.group(1); fl = fl[:t.start()].strip()
                jm = re.search(r'json:"([^"]*)"', tag)
                json = jm.group(1).split(',')[0] if jm else None
                inline = bool(jm) and ',inline' in jm.group(1)
                parts = fl.split()
                if len(parts) == 1:  # embedded
                    ty = parts[0]; fname = ty.split('.')[-1].lstrip('*')
                    fields.append((fname, '' if (inline or json is None) else json, ty))
                else:
                    fname, ty = parts[0], ' '.join(parts[1:])
                    if json is None:
                        json = fname  # untagged (protobuf only)
                    fields.append((fname, json, ty))
            structs[name] = fields
        else:
            m = re.match(r'^type (\w+) (?:= )?([\w\.\[\]\*]+)\s*$', l)
            if m:
                named[m.group(1)] = m.group(2)
        i += 1
    return structs, named

core_s, core_n = parse(sys.argv[1], 'v1')
meta_s, meta_n = parse(sys.argv[2], 'v1')

# apimachinery pieces outside meta/v1/types.go
extra_structs = {
    ('meta', 'Time'): [('Time', '', 'time.Time')],
}
SCALARS = {'string', 'bool', 'int', 'int32', 'int64', 'uint64', 'float64', 'byte'}

out_items = {}   # rust ident -> definition text
order = []

def rust_ident(s):
    return re.sub(r'[^A-Za-z0-9]', '_', s).upper()

def resolve(ty, pkg):
    """-> (kind, gotypestring, payload)"""
    if ty.startswith('*'):
        return ('ptr', None, resolve(ty[1:], pkg))
    if ty.startswith('[]'):
        el = resolve(ty[2:], pkg)
        return ('slice', '[]' + el[1], el)
    if ty.startswith('map['):
        k, v = re.match(r'map\[([^\]]+)\](.+)', ty).groups()
        kr, vr = resolve(k, pkg), resolve(v, pkg)
        return ('map', 'map[%s]%s' % (kr[1], vr[1]), (kr, vr))
    if ty in SCALARS:
        return ('scalar', 'uint8' if ty == 'byte' else ty, ty)
    if ty == 'resource.Quantity':
        return ('quantity', 'resource.Quantity', None)
    if ty == 'intstr.IntOrString':
        return ('intorstr', 'intstr.IntOrString', None)
    if ty == 'time.Time':
        return ('time', 'time.Time', None)
    if ty == 'types.UID':
        return ('scalar', 'types.UID', 'string')
    if ty.startswith('metav1.'):
        return resolve(ty[7:], 'meta')
    if '.' in ty:
        raise SystemExit('unknown type ' + ty)
    structs, named = (core_s, core_n) if pkg == 'core' else (meta_s, meta_n)
    if (pkg, ty) in extra_structs:
        return ('struct', 'v1.' + ty, (pkg, ty, extra_structs[(pkg, ty)]))
    if ty in structs:
        return ('struct', 'v1.' + ty, (pkg, ty, structs[ty]))
    if ty in named:
        under = named[ty]
        r = resolve(under, pkg)
        if r[0] == 'scalar':
            return ('scalar', 'v1.' + ty, r[2])
        if r[0] == 'map':
            return ('map', 'v1.' + ty, r[2])
        if r[0] == 'slice':
            return ('slice', 'v1.' + ty, r[2])
        raise SystemExit('named ' + ty + ' -> ' + under)
    raise SystemExit('unresolved ' + ty)

def emit_type(r):
    """returns a Rust expression of type GoType"""
    kind, gs, p = r
    if kind == 'ptr':
        inner = emit_type(p)
        return 'GoType::Ptr(&%s)' % inner
    if kind == 'slice':
        return 'GoType::Slice("%s", &%s)' % (gs, emit_type(p))
    if kind == 'map':
        return 'GoType::Map("%s", &%s, &%s)' % (gs, emit_type(p[0]), emit_type(p[1]))
    if kind == 'scalar':
        base = p
        k = {'string': 'Str', 'bool': 'Bool', 'int': 'Int', 'int32': 'Int', 'int64': 'Int', 'uint64': 'Uint', 'byte': 'Uint'}[base]
        return 'GoType::%s("%s")' % (k, gs)
    if kind == 'quantity':
        return 'GoType::Quantity'
    if kind == 'intorstr':
        return 'GoType::IntOrString'
    if kind == 'time':
        return 'GoType::Time'
    if kind == 'struct':
        pkg, name, fields = p
        ident = rust_ident(pkg + '_' + name)
        if ident not in out_items:
            out_items[ident] = None
            fl = []
            for fname, json, fty in fields:
                fl.append('    Field { go: "%s", json: "%s", ty: %s },' % (fname, json, emit_type(resolve(fty, pkg))))
            out_items[ident] = 'static %s: Struct = Struct {\n    name: "%s",\n    fields: &[\n%s\n    ],\n};' % (ident, gs, '\n'.join(fl))
            order.append(ident)
        return 'GoType::Struct(&%s)' % ident
    raise SystemExit(kind)

root = emit_type(resolve('PodTemplateSpec', 'core'))
print('''//! GENERATED by `crates/sim/tools/gen_spew_schema.py` from k8s.io/api v0.35.4
//! `core/v1/types.go` and k8s.io/apimachinery v0.35.4 `pkg/apis/meta/v1/types.go`: the Go
//! struct layout (field names in declaration order, Go type names) of `v1.PodTemplateSpec`
//! and every type it reaches, for `spew` (go-spew's `%#v`). Do not edit by hand.

use super::spew::{Field, GoType, Struct};

/// `v1.PodTemplateSpec`.
pub(crate) static POD_TEMPLATE_SPEC: GoType = ''' + root + ';\n')
for ident in order:
    print(out_items[ident])
    print()
