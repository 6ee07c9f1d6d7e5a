// X509Name: distinguished names, owned or as live views of a certificate's subject/issuer.
#include "objects.h"

namespace ossl {

void X509NameWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "X509Name",
      {
          InstanceMethod<&X509NameWrap::GetEntry>("getEntry"),
          InstanceMethod<&X509NameWrap::SetEntry>("setEntry"),
          InstanceMethod<&X509NameWrap::Hash>("hash"),
          InstanceMethod<&X509NameWrap::Der>("der"),
          InstanceMethod<&X509NameWrap::GetComponents>("getComponents"),
          InstanceMethod<&X509NameWrap::Compare>("compare"),
          InstanceMethod<&X509NameWrap::Oneline>("oneline"),
          InstanceMethod<&X509NameWrap::Print>("print"),
          InstanceMethod<&X509NameWrap::EntryCount>("entryCount"),
          InstanceMethod<&X509NameWrap::Copy>("copy"),
      });
  Data(env)->x509_name = Napi::Persistent(ctor);
  exports.Set("X509Name", ctor);
  exports.Set("XN_FLAG_COMPAT", Napi::Number::New(env, static_cast<double>(XN_FLAG_COMPAT)));
  exports.Set("XN_FLAG_RFC2253", Napi::Number::New(env, static_cast<double>(XN_FLAG_RFC2253)));
  exports.Set("XN_FLAG_ONELINE", Napi::Number::New(env, static_cast<double>(XN_FLAG_ONELINE)));
  exports.Set("XN_FLAG_MULTILINE", Napi::Number::New(env, static_cast<double>(XN_FLAG_MULTILINE)));
}

// new X509Name(): an empty owned name. Native code also constructs views (owner, source) and
// owned names from an External.
X509NameWrap::X509NameWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<X509NameWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() >= 1 && info[0].IsExternal()) {
    owned_.reset(info[0].As<Napi::External<X509_NAME>>().Data());
  } else if (info.Length() >= 2 && info[0].IsObject() && info[1].IsNumber()) {
    Napi::Object owner = info[0].As<Napi::Object>();
    int source = info[1].As<Napi::Number>().Int32Value();
    bool cert_view = (source == kCertSubject || source == kCertIssuer) && owner.CheckTypeTag(&X509Wrap::kTypeTag);
    bool req_view = source == kReqSubject && owner.CheckTypeTag(&X509ReqWrap::kTypeTag);
    if (!cert_view && !req_view) {
      Napi::TypeError::New(env, "invalid X509Name view").ThrowAsJavaScriptException();
      return;
    }
    source_ = static_cast<Source>(source);
    // The view keeps its owner alive through a property (an edge the garbage collector sees, so a
    // certificate and its views are collected together, in one pass) and finds it through a weak
    // reference. A strong reference would keep the owner until the view's finalizer had run.
    info.This().As<Napi::Object>().DefineProperty(Napi::PropertyDescriptor::Value("owner", owner, napi_default));
    owner_ = Napi::Weak(owner);
  } else {
    owned_.reset(X509_NAME_new());
    if (!owned_) {
      ThrowOpenSSL(env, "could not create a name");
      return;
    }
  }
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

X509_NAME* X509NameWrap::get() const {
  switch (source_) {
    case kOwned: return owned_.get();
    case kCertSubject: return X509Wrap::Unwrap(owner_.Value())->Name(0);
    case kCertIssuer: return X509Wrap::Unwrap(owner_.Value())->Name(1);
    case kReqSubject: return X509_REQ_get_subject_name(X509ReqWrap::Unwrap(owner_.Value())->get());
  }
  return nullptr;
}

X509_NAME* X509NameWrap::GetForWrite(Napi::Env env) {
  if ((source_ == kCertSubject || source_ == kCertIssuer) && X509Wrap::Unwrap(owner_.Value())->Full(env) == nullptr) {
    return nullptr;
  }
  return get();
}

Napi::Value X509NameWrap::NewView(Napi::Env env, Napi::Object owner, Source source) {
  return Data(env)->x509_name.New({owner, Napi::Number::New(env, source)});
}

Napi::Value X509NameWrap::NewOwned(Napi::Env env, X509NamePointer name) {
  if (!name) return ThrowOpenSSL(env, "no name");
  Napi::Value ext = Napi::External<X509_NAME>::New(env, name.release());  // adopted by the constructor
  return Data(env)->x509_name.New({ext});
}

namespace {
int NidOf(Napi::Value v, std::string* name) {
  if (!GetString(v, "name", name)) return -1;
  int nid = OBJ_txt2nid(name->c_str());
  return nid;
}
}  // namespace

// getEntry(name): the first entry with that attribute, decoded to UTF-8, or null.
Napi::Value X509NameWrap::GetEntry(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return NameEntry(info.Env(), get(), info[0]);
}

Napi::Value NameEntry(Napi::Env env, X509_NAME* name, Napi::Value attribute) {
  std::string attr;
  int nid = NidOf(attribute, &attr);
  if (nid < 0) return env.Undefined();
  if (nid == NID_undef) return ThrowValue(env, "no such attribute: " + attr);
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return env.Null();
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return ThrowOpenSSL(env, "could not decode the name entry");
  OpensslBytes owned(utf8);
  return Napi::String::New(env, reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
}

// setEntry(name, value): replaces every entry with that attribute by one entry holding `value`
// (UTF-8, taken with its explicit length so an embedded NUL is stored, never a truncation point).
Napi::Value X509NameWrap::SetEntry(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string attr;
  int nid = NidOf(info[0], &attr);
  if (nid < 0) return env.Undefined();
  if (nid == NID_undef) return ThrowValue(env, "no such attribute: " + attr);
  Bytes value = GetBytes(info[1], "value");
  if (!value.ok) return env.Undefined();
  if (value.size > INT32_MAX) return ThrowValue(env, "value is too long");
  X509_NAME* name = GetForWrite(env);
  if (name == nullptr) return env.Undefined();
  // Validate first so a refused value leaves the name unchanged.
  X509_NAME_ENTRY* entry = X509_NAME_ENTRY_create_by_NID(nullptr, nid, MBSTRING_UTF8, value.data,
                                                         static_cast<int>(value.size));
  if (entry == nullptr) return ThrowOpenSSL(env, "invalid value for " + attr);
  Owned<X509_NAME_ENTRY, X509_NAME_ENTRY_free> owned_entry(entry);
  for (int i = X509_NAME_entry_count(name) - 1; i >= 0; --i) {
    X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) == nid) X509_NAME_ENTRY_free(X509_NAME_delete_entry(name, i));
  }
  if (X509_NAME_add_entry(name, entry, -1, 0) != 1) return ThrowOpenSSL(env, "could not set " + attr);
  return env.Undefined();
}

Napi::Value X509NameWrap::Hash(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int ok = 0;
  unsigned long h = X509_NAME_hash_ex(get(), nullptr, nullptr, &ok);
  if (ok != 1) return ThrowOpenSSL(info.Env(), "could not hash the name");
  return Napi::Number::New(info.Env(), static_cast<double>(h));
}

Napi::Value X509NameWrap::Der(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  unsigned char* der = nullptr;
  int len = i2d_X509_NAME(get(), &der);
  if (len < 0) return ThrowOpenSSL(info.Env(), "could not encode the name");
  OpensslBytes owned(der);
  return Napi::Buffer<unsigned char>::Copy(info.Env(), der, static_cast<size_t>(len));
}

// getComponents(): [[shortName, rawValueBytes], ...] in order, as pyOpenSSL returns them.
Napi::Value X509NameWrap::GetComponents(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509_NAME* name = get();
  int n = X509_NAME_entry_count(name);
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    int nid = OBJ_obj2nid(obj);
    std::string sn;
    if (nid != NID_undef) {
      sn = OBJ_nid2sn(nid);
    } else {
      char buf[128];
      OBJ_obj2txt(buf, sizeof(buf), obj, 1);
      sn = buf;
    }
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(e);
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, Napi::Buffer<char>::Copy(env, sn.data(), sn.size()));
    pair.Set(1u, Napi::Buffer<unsigned char>::Copy(env, ASN1_STRING_get0_data(data),
                                                    static_cast<size_t>(ASN1_STRING_length(data))));
    out.Set(static_cast<uint32_t>(i), pair);
  }
  return out;
}

Napi::Value X509NameWrap::Compare(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509NameWrap* other = UnwrapAs<X509NameWrap>(info[0], "other");
  if (other == nullptr) return info.Env().Undefined();
  int r = X509_NAME_cmp(get(), other->get());
  if (r == -2) return ThrowOpenSSL(info.Env(), "could not compare names");
  return Napi::Number::New(info.Env(), r < 0 ? -1 : r > 0 ? 1 : 0);
}

// oneline(): OpenSSL's "/C=US/CN=name" form (X509_NAME_oneline, SSLeay's oneline_subject).
Napi::Value X509NameWrap::Oneline(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  OpensslString s(X509_NAME_oneline(get(), nullptr, 0));
  if (!s) return ThrowOpenSSL(info.Env(), "could not format the name");
  return Napi::String::New(info.Env(), s.get());
}

// print(flags): X509_NAME_print_ex with the given XN_FLAG_* value (RFC 2253, one line, ...).
Napi::Value X509NameWrap::Print(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t flags = 0;
  if (!GetInt(info[0], "flags", &flags)) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (!out || X509_NAME_print_ex(out.get(), get(), 0, static_cast<unsigned long>(flags)) < 0) {
    return ThrowOpenSSL(env, "could not format the name");
  }
  return BioToString(env, out.get());
}

Napi::Value X509NameWrap::EntryCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), X509_NAME_entry_count(get()));
}

Napi::Value X509NameWrap::Copy(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return NewOwned(info.Env(), X509NamePointer(X509_NAME_dup(get())));
}

}  // namespace ossl
