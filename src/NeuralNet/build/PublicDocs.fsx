// Keeps in the package's XML documentation only what a user of the package can reach: the public
// types (and public types nested in them) and their public and protected members. The compiler
// documents every member that has a doc comment, internal ones (the GEMM kernels, the codecs) too.
// Usage: dotnet fsi PublicDocs.fsx ASSEMBLY.dll DOCUMENTATION.xml   (rewrites the XML in place)
open System
open System.IO
open System.Reflection
open System.Reflection.Metadata
open System.Reflection.PortableExecutable
open System.Xml.Linq

let assemblyPath, docPath =
    match fsi.CommandLineArgs with
    | [| _; a; d |] -> a, d
    | _ -> failwith "usage: dotnet fsi PublicDocs.fsx ASSEMBLY.dll DOCUMENTATION.xml"

let reader = (new PEReader(File.OpenRead assemblyPath)).GetMetadataReader()
let str (h: StringHandle) = reader.GetString h
let visibleMember (a: MethodAttributes) =
    let access = a &&& MethodAttributes.MemberAccessMask
    access = MethodAttributes.Public || access = MethodAttributes.Family || access = MethodAttributes.FamORAssem
let visibleField (a: FieldAttributes) =
    let access = a &&& FieldAttributes.FieldAccessMask
    access = FieldAttributes.Public || access = FieldAttributes.Family || access = FieldAttributes.FamORAssem

/// A type's documentation name (Namespace.Outer.Inner`1) and whether a user can see it.
let rec describe (handle: TypeDefinitionHandle) : string * bool =
    let t = reader.GetTypeDefinition handle
    let visibility = t.Attributes &&& TypeAttributes.VisibilityMask
    let declaring = t.GetDeclaringType()
    if declaring.IsNil then
        let ns = str t.Namespace
        (if ns = "" then str t.Name else ns + "." + str t.Name), (visibility = TypeAttributes.Public)
    else
        let outer, outerVisible = describe declaring
        let nestedVisible = visibility = TypeAttributes.NestedPublic || visibility = TypeAttributes.NestedFamily || visibility = TypeAttributes.NestedFamORAssem
        outer + "." + str t.Name, outerVisible && nestedVisible

let docName (name: string) = name.Replace('.', '#')
let publicTypes = Collections.Generic.Dictionary<string, Collections.Generic.HashSet<string>>()
for handle in reader.TypeDefinitions do
    let name, visible = describe handle
    if visible then
        let t = reader.GetTypeDefinition handle
        let members = Collections.Generic.HashSet<string>()
        for m in t.GetMethods() do
            let md = reader.GetMethodDefinition m
            if visibleMember md.Attributes then members.Add(docName (str md.Name)) |> ignore
        for f in t.GetFields() do
            let fd = reader.GetFieldDefinition f
            if visibleField fd.Attributes then members.Add(str fd.Name) |> ignore
        for p in t.GetProperties() do
            let pd = reader.GetPropertyDefinition p
            let accessors = pd.GetAccessors()
            let visibleAccessor (h: MethodDefinitionHandle) = not h.IsNil && visibleMember (reader.GetMethodDefinition h).Attributes
            if visibleAccessor accessors.Getter || visibleAccessor accessors.Setter then members.Add(docName (str pd.Name)) |> ignore
        for e in t.GetEvents() do
            let ed = reader.GetEventDefinition e
            if visibleMember (reader.GetMethodDefinition(ed.GetAccessors().Adder)).Attributes then members.Add(docName (str ed.Name)) |> ignore
        publicTypes[name] <- members

/// Whether a documentation id (T:…, M:…(…), P:…, F:…, E:…) names something a user can reach.
let reachable (id: string) =
    let kind, rest = id.[0], id.Substring 2
    let path = match rest.IndexOf '(' with -1 -> rest | i -> rest.Substring(0, i)
    if kind = 'T' then publicTypes.ContainsKey path
    else
        let dot = path.LastIndexOf '.'
        let typeName, memberName = path.Substring(0, dot), path.Substring(dot + 1)
        let memberName = match memberName.IndexOf "``" with -1 -> memberName | i -> memberName.Substring(0, i)
        match publicTypes.TryGetValue typeName with
        | true, members -> members.Contains memberName
        | _ -> false

let doc = XDocument.Load docPath
let members = doc.Root.Element(XName.Get "members").Elements(XName.Get "member") |> Seq.toArray
let removed = members |> Array.filter (fun m -> not (reachable (m.Attribute(XName.Get "name").Value)))
for m in removed do m.Remove()
doc.Save docPath
printfn "PublicDocs: kept %d documented members of public types, removed %d internal ones from %s" (members.Length - removed.Length) removed.Length docPath
